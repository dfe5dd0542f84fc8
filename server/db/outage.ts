// Whether a database error means "the database cannot be reached" (answered 503, worth a retry) rather
// than a refusal of the statement itself.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

const UNAVAILABLE_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|Query read timeout/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string; cause?: { code?: string } } | null;
  return (
    UNAVAILABLE_CODES.has(e?.code ?? '') ||
    UNAVAILABLE_CODES.has(e?.cause?.code ?? '') ||
    UNAVAILABLE_MESSAGE.test(e?.message ?? '')
  );
}
