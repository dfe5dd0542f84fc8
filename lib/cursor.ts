/**
 * Keyset cursors for the lists: the sort key of the row a page ends (or starts) at, as an opaque
 * URL-safe string. A list reads "rows after this key" through its index instead of skipping rows
 * (an offset reads and throws away every row before the page). `dir` says which way to read:
 * "older" (the next page) or "newer" (the previous page).
 */
export type CursorDirection = 'older' | 'newer';

export interface Cursor {
  /** The sort time in ms since the epoch. */
  at: number;
  /** The tie-breaker: the row's id (a UUID or a bigint as text). */
  id: string;
  dir: CursorDirection;
}

const ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9]{1,19})$/i;
export const MAX_CURSOR_LENGTH = 200;

export function encodeCursor(cursor: Cursor): string {
  const text = `${cursor.dir === 'newer' ? 'n' : 'o'}.${cursor.at}.${cursor.id}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** The cursor, or null when the text is not one of ours (a hand-edited URL: the first page instead). */
export function decodeCursor(text: string | null | undefined): Cursor | null {
  if (!text || text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const [dir, at, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('.');
  if (rest.length || (dir !== 'n' && dir !== 'o') || !/^-?[0-9]{1,15}$/.test(at ?? '') || !ID.test(id ?? ''))
    return null;
  const ms = Number(at);
  if (Math.abs(ms) > 8.64e15) return null;
  return { dir: dir === 'n' ? 'newer' : 'older', at: ms, id: id.toLowerCase() };
}

/**
 * One page from rows read `limit + 1` at a time in the cursor's direction: the page newest first, and the
 * cursors of the pages beside it (null when there is none that way).
 */
export function pageOf<T>(
  rows: T[],
  limit: number,
  cursor: Cursor | null,
  key: (row: T) => { at: Date; id: string },
): { items: T[]; older: string | null; newer: string | null } {
  const more = rows.length > limit;
  const read = rows.slice(0, limit);
  const items = cursor?.dir === 'newer' ? read.reverse() : read;
  const edge = (row: T | undefined, dir: CursorDirection) => {
    if (!row) return null;
    const k = key(row);
    return encodeCursor({ at: k.at.getTime(), id: k.id, dir });
  };
  const hasOlder = cursor?.dir === 'newer' ? true : more;
  const hasNewer = cursor ? (cursor.dir === 'older' ? true : more) : false;
  return {
    items,
    older: hasOlder ? edge(items[items.length - 1], 'older') : null,
    newer: hasNewer ? edge(items[0], 'newer') : null,
  };
}
