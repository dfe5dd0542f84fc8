import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import { buttonClasses } from '@/components/ui/button';

export const metadata: Metadata = { title: 'Page not found' };

export default async function NotFound() {
  // Rendered per request, never prerendered: its scripts need this response's CSP nonce.
  await connection();
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-6 text-center">
      <p className="text-sm font-semibold text-accent">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-fg">Page not found</h1>
      <p className="mt-2 max-w-md text-sm text-fg-muted">
        The page you asked for does not exist, or it belongs to an organisation you are not a member of.
      </p>
      <Link href="/jobs" className={buttonClasses({ className: 'mt-6' })}>
        Back to the console
      </Link>
    </main>
  );
}
