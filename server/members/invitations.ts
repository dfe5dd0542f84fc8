import { createHash, randomBytes } from 'node:crypto';
import { inviteMemberSchema, type InviteMemberInput } from '../../lib/validations/member';
import { recordAudit } from '../audit/record';
import { db, type Role } from '../db';
import { sendMail } from '../email/send';
import { invitationMail } from '../email/templates';
import { AppError, fieldErrors } from '../errors';
import { logger } from '../observability/logger';
import { publicUrl } from '../config';
import { actorMayManage, actorRole, memberAudit, type MemberActor } from './member-actor';

export const INVITATION_DAYS = 7;

/** SHA-256 (hex) of an invitation token: only the digest is stored. */
export function invitationDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The path that accepts an invitation. */
export function invitationPath(token: string): string {
  return `/invite/${token}`;
}

/** The link that accepts an invitation, under PUBLIC_URL (never the request's Host). */
export function invitationLink(token: string): string {
  return `${publicUrl()}${invitationPath(token)}`;
}

/**
 * Invites an email address into the actor's organisation with a role (admins and owners; only owners
 * invite owners) and mails the single-use link (7 days) to that address. The link is the invitee's proof
 * that the address is theirs, so a member who invites never sees it: their answer is the same whether or
 * not an account exists. The operator's CLI (a system actor) gets the link too, to pass on itself.
 * Inviting the same address again replaces the pending invitation.
 */
export async function inviteMember(
  actor: MemberActor,
  input: InviteMemberInput,
  origin: string,
): Promise<{ id: string; expiresAt: Date; link?: string }> {
  if (!actorMayManage(actor)) throw new AppError('forbidden', 'Only admins and owners invite members');
  const parsed = inviteMemberSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError('validation_failed', 'The invitation is not valid', {
      errors: fieldErrors(parsed.error.issues),
    });
  const { email, role } = parsed.data;
  if (role === 'owner' && actorRole(actor) !== 'owner') {
    throw new AppError('forbidden', 'Only owners invite owners', {
      errors: [{ path: 'role', message: 'Only owners can invite an owner' }],
    });
  }
  // Membership of this organisation is visible on its Members page anyway; accounts elsewhere are not.
  const member = await db.membership.findFirst({
    where: { orgId: actor.orgId, user: { email } },
    select: { id: true },
  });
  if (member)
    throw new AppError('conflict', 'Already a member', {
      errors: [{ path: 'email', message: `${email} is already a member of this organisation` }],
    });

  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 24 * 60 * 60 * 1000);
  const created = await db.$transaction(async (tx) => {
    await tx.invitation.updateMany({
      where: { orgId: actor.orgId, email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const invitation = await tx.invitation.create({
      data: {
        orgId: actor.orgId,
        email,
        role,
        digest: invitationDigest(token),
        inviterId: actor.kind === 'user' ? actor.userId : null,
        expiresAt,
      },
    });
    await recordAudit(
      {
        orgId: actor.orgId,
        ...memberAudit(actor),
        action: 'member.invited',
        target: `invitation:${invitation.id}`,
        details: { email, role },
      },
      tx,
    );
    return {
      id: invitation.id,
      orgName: (await tx.organization.findUniqueOrThrow({ where: { id: actor.orgId } })).name,
    };
  });
  const link = `${origin}${invitationPath(token)}`;
  try {
    await sendMail(
      email,
      invitationMail({
        orgName: created.orgName,
        role,
        inviter: actor.kind === 'user' ? actor.email : null,
        link,
        expiresAt,
      }),
    );
  } catch (error) {
    // Not sent: the invitation is withdrawn, so nobody waits for a mail that never comes.
    logger().error({ err: error }, 'invitation mail not sent');
    await db.invitation.update({ where: { id: created.id }, data: { revokedAt: new Date() } });
    throw new AppError('unavailable', 'The invitation mail could not be sent. Try again in a moment.');
  }
  return actor.kind === 'system' ? { id: created.id, expiresAt, link } : { id: created.id, expiresAt };
}

export interface PendingInvitation {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
  inviter: string | null;
}

/** The organisation's invitations that can still be accepted, newest first. */
export async function listPendingInvitations(actor: MemberActor): Promise<PendingInvitation[]> {
  const rows = await db.invitation.findMany({
    where: { orgId: actor.orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: 'desc' },
    take: 200,
    select: {
      id: true,
      email: true,
      role: true,
      createdAt: true,
      expiresAt: true,
      inviter: { select: { email: true } },
    },
  });
  return rows.map(({ inviter, ...rest }) => ({ ...rest, inviter: inviter?.email ?? null }));
}

/** Revokes a pending invitation of the actor's organisation: its link stops working. */
export async function revokeInvitation(actor: MemberActor, id: string): Promise<void> {
  if (!actorMayManage(actor)) throw new AppError('forbidden', 'Only admins and owners revoke invitations');
  const invitation = await db.invitation.findFirst({ where: { id, orgId: actor.orgId } });
  if (!invitation) throw new AppError('not_found', 'No such invitation in this organisation');
  if (invitation.acceptedAt || invitation.revokedAt) return;
  await db.$transaction(async (tx) => {
    await tx.invitation.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(
      {
        orgId: actor.orgId,
        ...memberAudit(actor),
        action: 'member.invitation_revoked',
        target: `invitation:${id}`,
        details: { email: invitation.email, role: invitation.role },
      },
      tx,
    );
  });
}
