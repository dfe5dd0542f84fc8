import { db } from '../db';

/** Whether the person receives failure notices of the jobs they watch (Settings > Your account). */
export async function failureNoticesOn(userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { failureNotices: true } });
  return user?.failureNotices ?? false;
}

/** The person's own opt-out (or back in); nobody else sets it. */
export async function setFailureNotices(userId: string, on: boolean): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { failureNotices: on } });
}
