'use client';

import { Toaster as Sonner } from 'sonner';

/** Toasts for the outcome of an action; sonner announces them in a polite live region. */
export function Toaster() {
  return (
    <Sonner theme="system" position="bottom-right" closeButton richColors toastOptions={{ duration: 5000 }} />
  );
}
