/** The console's navigation: groups of links; a group's title is shown above its links. */
export interface NavItem {
  label: string;
  href: string;
  /** The path prefix that marks the link as current (defaults to href). */
  match?: string;
}

export interface NavGroup {
  title?: string;
  items: NavItem[];
}

export const NAV_GROUPS: NavGroup[] = [
  {
    items: [
      { label: 'Jobs', href: '/jobs' },
      { label: 'Runs', href: '/runs' },
    ],
  },
  {
    title: 'Integrations',
    items: [
      { label: 'Api Keys', href: '/integrations/api-keys' },
      { label: 'Webhooks', href: '/integrations/webhooks' },
      { label: 'Connections', href: '/integrations/connections' },
      { label: 'Usage', href: '/integrations/usage' },
      { label: 'API reference', href: '/api-reference' },
    ],
  },
  {
    title: 'Organisation',
    items: [
      { label: 'Audit', href: '/audit' },
      { label: 'Settings', href: '/settings/members', match: '/settings' },
    ],
  },
];

export function isActive(pathname: string, item: NavItem): boolean {
  const prefix = item.match ?? item.href;
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}
