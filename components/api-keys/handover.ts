'use client';

// The token of a key just created or rolled, handed from the form to the key's page once, in memory:
// never in a URL, never in storage, gone after the page has taken it (a later visit shows it masked).
export type HandoverKind = 'created' | 'rolled';

const tokens = new Map<string, { token: string; kind: HandoverKind }>();

export function handOver(keyId: string, token: string, kind: HandoverKind): void {
  tokens.set(keyId, { token, kind });
}

export function takeHandover(keyId: string): { token: string; kind: HandoverKind } | null {
  const entry = tokens.get(keyId) ?? null;
  tokens.delete(keyId);
  return entry;
}
