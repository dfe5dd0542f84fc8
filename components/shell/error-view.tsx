'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { Button, buttonClasses } from '@/components/ui/button';

/**
 * What an error boundary shows: a friendly message, a retry and a way back; never the error's message
 * or stack (only Next's digest, which matches the server log). `landmark` renders it as the page's main.
 */
export function ErrorView({
  error,
  retry,
  landmark = false,
}: {
  error: unknown;
  retry: () => void;
  landmark?: boolean;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  const digest =
    error instanceof Error && 'digest' in error && typeof error.digest === 'string'
      ? error.digest
      : undefined;
  const Root = landmark ? 'main' : 'div';

  return (
    <Root className="flex min-h-[60vh] flex-col items-center justify-center px-6 py-16 text-center">
      <h1 className="text-2xl font-semibold tracking-tight text-fg">Something went wrong</h1>
      <p className="mt-2 max-w-md text-sm text-fg-muted">
        We could not show this page. It may be a passing problem: try again, and if it keeps happening, tell
        your administrator{digest ? ' and mention the reference below' : ''}.
      </p>
      {digest ? (
        <p className="mt-3 text-xs text-fg-muted">
          Reference: <code>{digest}</code>
        </p>
      ) : null}
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        <Button onClick={() => retry()}>Try again</Button>
        <Link href="/jobs" className={buttonClasses({ variant: 'secondary' })}>
          Go to Jobs
        </Link>
      </div>
    </Root>
  );
}
