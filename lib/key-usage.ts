// The outcomes usage is counted by: accepted (2xx) and each refusal the job API answers a key with.

export const OUTCOMES = ['accepted', '401', '403', '404', '409', '422', '429', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  accepted: 'Accepted',
  '401': '401 Unauthorized',
  '403': '403 Forbidden',
  '404': '404 Not found',
  '409': '409 Conflict',
  '422': '422 Invalid',
  '429': '429 Rate limited',
  other: 'Other errors',
};

export function outcomeOf(status: number): Outcome {
  if (status < 300) return 'accepted';
  const code = String(status);
  return (OUTCOMES as readonly string[]).includes(code) ? (code as Outcome) : 'other';
}

export const RANGES = {
  '24h': { hours: 24, bucketHours: 1 },
  '7d': { hours: 168, bucketHours: 6 },
  '30d': { hours: 720, bucketHours: 24 },
} as const;
export type UsageRange = keyof typeof RANGES;

export function parseRange(value: unknown): UsageRange {
  return typeof value === 'string' && value in RANGES ? (value as UsageRange) : '24h';
}

export function parseOutcome(value: unknown): Outcome | null {
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value)
    ? (value as Outcome)
    : null;
}

/** One request in a key's request log, as the server lists it and the console shows it. */
export interface KeyRequestRow {
  id: string;
  at: Date;
  apiKeyId: string;
  keyName: string;
  status: number;
  code: string | null;
  job: string | null;
  runId: string | null;
  ip: string | null;
  requestId: string;
}
