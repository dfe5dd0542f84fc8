import { createOrganizationSchema, type CreateOrganizationInput } from '../../lib/validations/member';
import { recordAudit } from '../audit/record';
import { setSessionOrg } from '../auth/user-session';
import { db, Prisma } from '../db';
import { appSettings } from '../config';
import { AppError, fieldErrors } from '../errors';

/** Whether signed-in people may create organisations on this server (ORG_CREATION=members). */
export function membersMayCreateOrganizations(): boolean {
  return appSettings().orgCreation === 'members';
}

/**
 * A signed-in user creates an organisation and becomes its owner, when the operator lets members do so
 * (ORG_CREATION=members); it gets no command grant. The admin CLI creates organisations always.
 */
export async function createOrganization(
  user: { id: string; email: string },
  input: CreateOrganizationInput,
): Promise<{ id: string; slug: string }> {
  if (!membersMayCreateOrganizations())
    throw new AppError(
      'forbidden',
      'On this server only the operator creates organisations (ORG_CREATION=operators). Ask them for one.',
    );
  const parsed = createOrganizationSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError('validation_failed', 'The organisation is not valid', {
      errors: fieldErrors(parsed.error.issues),
    });
  const { name, slug } = parsed.data;
  try {
    return await db.$transaction(async (tx) => {
      const org = await tx.organization.create({ data: { slug, name } });
      await tx.membership.create({ data: { orgId: org.id, userId: user.id, role: 'owner' } });
      await recordAudit(
        {
          orgId: org.id,
          actor: `user:${user.id}`,
          actorName: user.email,
          action: 'org.created',
          target: `org:${org.id}`,
          details: { slug, name },
        },
        tx,
      );
      return { id: org.id, slug: org.slug };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('conflict', 'That short name is taken', {
        errors: [{ path: 'slug', message: `“${slug}” is taken; choose another` }],
      });
    }
    throw error;
  }
}

/** Makes the session act in another organisation of the user; "not found" when they are not a member. */
export async function switchOrganization(
  session: { sessionId: string; userId: string },
  orgId: string,
): Promise<void> {
  const member = await db.membership.findFirst({
    where: { orgId, userId: session.userId },
    select: { id: true },
  });
  if (!member) throw new AppError('not_found', 'No such organisation');
  await setSessionOrg(session.sessionId, orgId);
}
