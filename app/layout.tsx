import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { HydrationMark } from '@/components/ui/hydration-mark';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'ETL Manager', template: '%s · ETL Manager' },
  description: 'Jobs, runs and API keys of your organisation.',
  icons: { icon: '/favicon.svg' },
  robots: { index: false, follow: false },
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f6f7f9' },
    { media: '(prefers-color-scheme: dark)', color: '#0e1116' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-dvh bg-bg font-sans text-fg antialiased">
        {children}
        <HydrationMark />
      </body>
    </html>
  );
}
