/**
 * A webhook URL as people without the right to manage webhooks, and the audit log, see it: the
 * credentials (user:password@) and the query (where tokens often ride) replaced, the rest kept so the
 * endpoint can still be recognised.
 */
export function maskWebhookUrl(url: string): string {
  try {
    const u = new URL(url);
    const credentials = u.username || u.password;
    u.username = '';
    u.password = '';
    const query = u.search;
    u.search = '';
    u.hash = '';
    const base = u.toString().replace(/^(\w+:\/\/)/, credentials ? '$1•••@' : '$1');
    return query ? `${base}?•••` : base;
  } catch {
    return '•••';
  }
}
