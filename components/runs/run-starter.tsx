import type { ReactNode } from 'react';
import Link from 'next/link';
import type { RunStarter as Starter } from '@/lib/validations/run';
import { TRIGGER_LABELS } from './format';

/** Who or what started a run: "API · key nightly-etl", "Console · Ada Lovelace", "CLI". */
export function RunStarter({ starter, links = true }: { starter: Starter; links?: boolean }) {
  const how = TRIGGER_LABELS[starter.trigger] ?? starter.trigger;
  let who: ReactNode = null;
  if (starter.trigger === 'api') {
    who = starter.apiKey ? (
      links ? (
        <Link
          href={`/integrations/api-keys/${starter.apiKey.id}`}
          prefetch={false}
          className="text-accent hover:underline"
        >
          key {starter.apiKey.name}
        </Link>
      ) : (
        <>key {starter.apiKey.name}</>
      )
    ) : (
      <span className="text-fg-muted">a deleted key</span>
    );
  } else if (starter.trigger === 'schedule' && starter.schedule !== undefined) {
    who = starter.schedule ? (
      <span className="font-mono">
        {starter.schedule.cron} ({starter.schedule.timezone})
      </span>
    ) : (
      <span className="text-fg-muted">a deleted schedule</span>
    );
  } else if (starter.user) {
    who = <span title={starter.user.email}>{starter.user.name || starter.user.email}</span>;
  }
  return (
    <span className="inline-flex flex-wrap items-baseline gap-x-1.5">
      <span className="font-medium">{how}</span>
      {who ? (
        <>
          <span aria-hidden="true" className="text-fg-muted">
            ·
          </span>
          <span className="sr-only">by</span>
          {who}
        </>
      ) : null}
    </span>
  );
}
