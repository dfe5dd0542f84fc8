import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';

export const metadata: Metadata = { title: 'Page not found' };

// Inside the console frame, whose <main> holds this: a section, never a second main landmark.
export default function ConsoleNotFound() {
  return (
    <section aria-labelledby="not-found-title" className="flex flex-col items-center py-16 text-center">
      <p className="text-sm font-semibold text-accent">404</p>
      <h1 id="not-found-title" className="mt-2 text-2xl font-semibold tracking-tight text-fg">
        Page not found
      </h1>
      <p className="mt-2 max-w-md text-sm text-fg-muted">
        The page you asked for does not exist, or it belongs to an organisation you are not a member of.
      </p>
      <Link href="/jobs" className={buttonClasses({ className: 'mt-6' })}>
        Back to the jobs
      </Link>
    </section>
  );
}
