import type { ReactNode } from 'react';
import { ConsoleShell } from '@/components/shell/console-shell';
import { requireSession } from '@/server/auth/session';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const { user, org, role } = await requireSession();
  return (
    <ConsoleShell orgName={org.name} user={{ email: user.email, name: user.name }} role={role}>
      {children}
    </ConsoleShell>
  );
}
