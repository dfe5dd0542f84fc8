import { addMemberSchema, type AddMemberInput } from '../../lib/validations/member';
import { recordAudit } from '../audit/record';
import { atLeast, auditActor, type UserActor } from '../auth/actor';
import { hashPassword } from '../auth/password';
import { db } from '../db';
import { AppError, fieldErrors } from '../http/errors';

/**
 * Adds a person to the actor's organisation (admins and owners; only owners make owners). A new user gets
 * the first password given; an existing user (of another organisation) keeps their own password.
 */
export async function addMember(actor: UserActor, input: AddMemberInput): Promise<{ userId: string; existingUser: boolean }> {
  if (!atLeast(actor.role, 'admin')) throw new AppError('forbidden', 'Only admins and owners add members');
  const parsed = addMemberSchema.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'The member is not valid', { errors: fieldErrors(parsed.error.issues) });
  const { email, name, role, password } = parsed.data;
  if (role === 'owner' && actor.role !== 'owner') {
    throw new AppError('forbidden', 'Only owners make owners', { errors: [{ path: 'role', message: 'Only owners can add an owner' }] });
  }

  const existing = await db.user.findUnique({ where: { email } });
  if (existing && (await db.membership.findUnique({ where: { orgId_userId: { orgId: actor.orgId, userId: existing.id } } }))) {
    throw new AppError('conflict', 'Already a member', { errors: [{ path: 'email', message: `${email} is already a member of this organisation` }] });
  }
  const passwordHash = existing ? null : await hashPassword(password);
  const userId = await db.$transaction(async (tx) => {
    const user = existing ?? (await tx.user.create({ data: { email, name: name || null, passwordHash: passwordHash! } }));
    await tx.membership.create({ data: { orgId: actor.orgId, userId: user.id, role } });
    await recordAudit({ orgId: actor.orgId, ...auditActor(actor), action: 'member.added', target: `user:${user.id}`, details: { email, role } }, tx);
    return user.id;
  });
  return { userId, existingUser: Boolean(existing) };
}
