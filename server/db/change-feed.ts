import pg from 'pg';

// One LISTEN connection per process. Caches of rows that other instances may change subscribe here:
// a notification drops one entry; losing the connection drops everything and turns caching off until
// it is back, so a missed notification can never keep a stale row alive.

type Subscriber = { onChange(id: string): void; onReset(): void };
const subscribers = new Map<string, Set<Subscriber>>();
let client: pg.Client | undefined;
let up = false;
let connecting: Promise<void> | undefined;
let retryTimer: NodeJS.Timeout | undefined;

export function subscribe(channel: string, subscriber: Subscriber): void {
  if (!subscribers.has(channel)) subscribers.set(channel, new Set());
  subscribers.get(channel)!.add(subscriber);
  if (up && client) client.query(`LISTEN ${channel}`).catch(() => lost(client!));
}

/** True while notifications are flowing; callers cache only then. Connects on first ask. */
export function feedUp(): boolean {
  if (!up && !connecting && !retryTimer) void connect();
  return up;
}

function resetAll() {
  for (const set of subscribers.values()) for (const s of set) s.onReset();
}

function lost(which: pg.Client) {
  if (client !== which) return;
  up = false;
  client = undefined;
  connecting = undefined;
  resetAll();
  which.end().catch(() => {});
  retryTimer ??= setTimeout(() => (retryTimer = undefined), 1000).unref();
}

async function connect(): Promise<void> {
  connecting = (async () => {
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    c.on('notification', (message) => {
      if (!message.payload) return;
      for (const s of subscribers.get(message.channel) ?? []) s.onChange(message.payload);
    });
    try {
      client = c;
      await c.connect();
      for (const channel of subscribers.keys()) await c.query(`LISTEN ${channel}`);
      resetAll(); // anything cached before the feed was up is suspect
      up = true;
    } catch {
      client = undefined;
      c.end().catch(() => {});
      retryTimer ??= setTimeout(() => (retryTimer = undefined), 1000).unref();
    } finally {
      connecting = undefined;
    }
  })();
  return connecting;
}

export async function stopChangeFeed(): Promise<void> {
  const c = client;
  up = false;
  client = undefined;
  resetAll();
  await c?.end().catch(() => {});
}
