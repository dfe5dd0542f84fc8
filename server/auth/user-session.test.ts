import { afterAll, beforeAll, expect, it } from 'vitest';
import { startKeyTestWorld, type KeyTestWorld } from '../keys/test-support';

// A sign-in opens the console in the organisation the person last worked in (issue 23's console part).
let world: KeyTestWorld;
beforeAll(async () => {
  world = await startKeyTestWorld();
});
afterAll(async () => {
  await world?.stop();
});

it('a new session starts in the last organisation worked in, while still a member; else the oldest', async () => {
  const { startSession, setSessionOrg, endSession } = await import('./user-session');
  const person = await world.member('editor'); // alpha, the older organisation
  const beta = await world.db.organization.findUniqueOrThrow({ where: { slug: 'beta' } });
  await world.db.membership.create({ data: { orgId: beta.id, userId: person.userId, role: 'viewer' } });
  const orgOf = async (id: string) => (await world.db.userSession.findUniqueOrThrow({ where: { id } })).orgId;

  const first = await startSession(person.userId);
  expect(await orgOf(first)).toBe(person.orgId);
  await setSessionOrg(first, beta.id);
  await endSession(first);
  const second = await startSession(person.userId);
  expect(await orgOf(second)).toBe(beta.id);

  // Removed from beta since: back to the oldest organisation.
  await world.db.membership.deleteMany({ where: { orgId: beta.id, userId: person.userId } });
  expect(await orgOf(await startSession(person.userId))).toBe(person.orgId);
});
