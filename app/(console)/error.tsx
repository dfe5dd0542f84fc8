'use client';

import { ErrorView } from '@/components/shell/error-view';

/** Errors of a console page keep the shell (navigation, user menu) around the message. */
export default function ConsoleError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorView error={error} retry={retry} />;
}
