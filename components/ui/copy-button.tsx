'use client';

import { useEffect, useState } from 'react';
import { Button, type ButtonProps } from './button';

/** Copies `text` to the clipboard; says "Copied" for a moment (announced politely). */
export function CopyButton({
  text,
  label = 'Copy',
  ...props
}: Omit<ButtonProps, 'onClick' | 'children'> & { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };

  return (
    <Button variant="secondary" size="sm" onClick={copy} {...props}>
      <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4">
        {state === 'copied' ? (
          <path
            fill="currentColor"
            d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z"
          />
        ) : (
          <path
            fill="currentColor"
            d="M7 3a2 2 0 0 0-2 2v1H4a2 2 0 0 0-2 2v7a2 2 0 0 0 2 2h7a2 2 0 0 0 2-2v-1h1a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2H7Zm6 11v1H4V8h1v4a2 2 0 0 0 2 2h6Zm1-2H7V5h7v7Z"
          />
        )}
      </svg>
      {label}
      <span role="status" className="sr-only">
        {state === 'copied'
          ? 'Copied to the clipboard'
          : state === 'failed'
            ? 'Could not copy; select the text and copy it'
            : ''}
      </span>
    </Button>
  );
}
