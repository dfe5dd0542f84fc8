import { newAccountSchema, type NewAccountInput } from '../../lib/validations/member';
import { recordAudit } from '../audit/record';
import { hashPassword } from '../auth/password';
import { db, type Prisma, type Role } from '../db';
import { AppError, fieldErrors } from '../errors';
import { invitationDigest } from './invitations';

export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  org: { id: string; name: string; slug: string };
  expiresAt: Date;
  state: 'pending' | 'accepted' | 'revoked' | 'expired';
}

const VIEW = {
  id: true,
  email: true,
  role: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
  org: { select: { id: true, name: true, slug: true } },
} as const;
type Row = Prisma.InvitationGetPayload<{ select: typeof VIEW }>;

function view(row: Row): InvitationView {
  const state = row.acceptedAt
    ? 'accepted'
    : row.revokedAt
      ? 'revoked'
      : row.expiresAt <= new Date()
        ? 'expired'
        : 'pending';
  return { id: row.id, email: row.email, role: row.role, org: row.org, expiresAt: row.expiresAt, state };
}

/** The invitation a link names, or null (a malformed or unknown token). */
export async function invitationByToken(token: string): Promise<InvitationView | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await db.invitation.findUnique({ where: { digest: invitationDigest(token) }, select: VIEW });
  return row ? view(row) : null;
}

/** Pending invitations addressed to a signed-in user's email, for the console's banner. */
export async function invitationsFor(email: string): Promise<InvitationView[]> {
  const rows = await db.invitation.findMany({
    where: { email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: 'asc' },
    take: 20,
    select: VIEW,
  });
  return rows.map(view);
}

type Which = { token: string } | { id: string };
const whereOf = (which: Which) =>
  'token' in which ? { digest: invitationDigest(which.token) } : { id: which.id };

/** Marks the invitation used, once: a second accept (or a revoked/expired one) is refused. */
async function claim(tx: Prisma.TransactionClient, which: Which, email: string | null): Promise<Row> {
  const row = await tx.invitation.findFirst({ where: whereOf(which), select: VIEW });
  if (!row) throw new AppError('not_found', 'No such invitation');
  if (email !== null && row.email !== email)
    throw new AppError(
      'forbidden',
      `This invitation is for ${row.email}. Sign in with that address to accept it.`,
    );
  const { count } = await tx.invitation.updateMany({
    where: { id: row.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    data: { acceptedAt: new Date() },
  });
  if (count !== 1)
    throw new AppError(
      'conflict',
      `This invitation has been ${view(row).state === 'pending' ? 'used' : view(row).state}. Ask for a new one.`,
    );
  return row;
}

/**
 * Adds the member. The address must be proven: the account's earlier proof, or this invitation's token,
 * which was mailed to the address (`proven`), and which then marks it verified.
 */
async function join(
  tx: Prisma.TransactionClient,
  row: Row,
  user: { id: string; email: string },
  proven: boolean,
): Promise<void> {
  const account = await tx.user.findUniqueOrThrow({
    where: { id: user.id },
    select: { emailVerifiedAt: true },
  });
  if (!account.emailVerifiedAt) {
    if (!proven)
      throw new AppError(
        'forbidden',
        `Open the link in the invitation mail sent to ${row.email} to accept: it confirms that the address is yours.`,
      );
    await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
  }
  const existing = await tx.membership.findUnique({
    where: { orgId_userId: { orgId: row.org.id, userId: user.id } },
  });
  if (!existing) await tx.membership.create({ data: { orgId: row.org.id, userId: user.id, role: row.role } });
  await recordAudit(
    {
      orgId: row.org.id,
      actor: `user:${user.id}`,
      actorName: user.email,
      action: 'member.joined',
      target: `user:${user.id}`,
      details: { email: user.email, role: row.role },
    },
    tx,
  );
}

/** A signed-in user accepts an invitation addressed to their email (by link token, or by id from the banner). */
export async function acceptInvitation(
  user: { id: string; email: string },
  which: Which,
): Promise<{ orgId: string }> {
  return db.$transaction(async (tx) => {
    const row = await claim(tx, which, user.email);
    await join(tx, row, user, 'token' in which);
    return { orgId: row.org.id };
  });
}

/** The invitee declines: the invitation is revoked. */
export async function declineInvitation(user: { id: string; email: string }, id: string): Promise<void> {
  await db.invitation.updateMany({
    where: { id, email: user.email, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
}

/**
 * Someone new accepts with a password of their choosing: the account is made for the invitation's email,
 * with the address proven (the link was mailed to it). When that email already has an account, they sign
 * in instead, or choose a new password with "Forgot password" (which proves the address too).
 */
export async function acceptInvitationAsNewUser(
  token: string,
  input: NewAccountInput,
): Promise<{ email: string; orgId: string }> {
  const parsed = newAccountSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError('validation_failed', 'Check the highlighted fields', {
      errors: fieldErrors(parsed.error.issues),
    });
  const passwordHash = await hashPassword(parsed.data.password);
  return db.$transaction(async (tx) => {
    const row = await claim(tx, { token }, null);
    if (await tx.user.findUnique({ where: { email: row.email }, select: { id: true } })) {
      throw new AppError(
        'conflict',
        'This address already has an account: sign in to accept, or use “Forgot password” on the sign-in page.',
      );
    }
    const user = await tx.user.create({
      data: { email: row.email, name: parsed.data.name || null, passwordHash, emailVerifiedAt: new Date() },
    });
    await join(tx, row, user, true);
    return { email: row.email, orgId: row.org.id };
  });
}
