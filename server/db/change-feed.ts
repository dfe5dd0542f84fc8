import pg from 'pg';
import { processWide } from '../runtime/process-wide';

// One LISTEN connection per process. Caches of rows that other instances may change subscribe here:
// a notification drops one entry; losing the connection drops everything and turns caching off until
// it is back, so a missed notification can never keep a stale row alive.

type Subscriber = { onChange(id: string): void; onReset(): void };

interface Feed {
  /** Channel -> subscribers by name (a second copy of a module subscribing under its name replaces none). */
  subscribers: Map<string, Map<string, Subscriber>>;
  client?: pg.Client;
  up: boolean;
  connecting?: Promise<void>;
  retryTimer?: NodeJS.Timeout;
}

const feed = processWide<Feed>('change-feed', () => ({ subscribers: new Map(), up: false }));

/** Subscribes `name` to a channel; a name subscribes once however many copies of its module run. */
export function subscribe(channel: string, name: string, subscriber: Subscriber): void {
  if (!feed.subscribers.has(channel)) feed.subscribers.set(channel, new Map());
  feed.subscribers.get(channel)!.set(name, subscriber);
  const { client } = feed;
  if (feed.up && client) client.query(`LISTEN ${channel}`).catch(() => lost(client));
}

/** True while notifications are flowing; callers cache only then. Connects on first ask. */
export function feedUp(): boolean {
  if (!feed.up && !feed.connecting && !feed.retryTimer) void connect();
  return feed.up;
}

function resetAll() {
  for (const set of feed.subscribers.values()) for (const s of set.values()) s.onReset();
}

function retryLater() {
  feed.retryTimer ??= setTimeout(() => (feed.retryTimer = undefined), 1000).unref();
}

function lost(which: pg.Client) {
  if (feed.client !== which) return;
  feed.up = false;
  feed.client = undefined;
  feed.connecting = undefined;
  resetAll();
  which.end().catch(() => {});
  retryLater();
}

async function connect(): Promise<void> {
  feed.connecting = (async () => {
    const c = new pg.Client({
      connectionString: process.env.DATABASE_URL,
      // Names the process in pg_stat_activity, where each process has one feed.
      application_name: `etl change feed ${process.pid}`,
    });
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    c.on('notification', (message) => {
      if (!message.payload) return;
      for (const s of feed.subscribers.get(message.channel)?.values() ?? []) s.onChange(message.payload);
    });
    try {
      feed.client = c;
      await c.connect();
      for (const channel of feed.subscribers.keys()) await c.query(`LISTEN ${channel}`);
      resetAll(); // anything cached before the feed was up is suspect
      feed.up = true;
    } catch {
      feed.client = undefined;
      c.end().catch(() => {});
      retryLater();
    } finally {
      feed.connecting = undefined;
    }
  })();
  return feed.connecting;
}

export async function stopChangeFeed(): Promise<void> {
  const c = feed.client;
  feed.up = false;
  feed.client = undefined;
  resetAll();
  await c?.end().catch(() => {});
}
