/**
 * Runs `fn` again while it throws (the database restarting, say), waiting 0.5, 1, 2, 4, then 5 s between
 * tries, for at most `forMs`, or until `giveUp()` says so; then the last error is thrown.
 */
export async function retrying<T>(
  fn: () => Promise<T>,
  forMs: number,
  giveUp: () => boolean = () => false,
): Promise<T> {
  const deadline = Date.now() + forMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const wait = Math.min(5_000, 500 * 2 ** attempt);
      if (giveUp() || Date.now() + wait > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
