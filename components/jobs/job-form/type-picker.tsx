'use client';

import { RadioCards } from '@/components/ui/radio-cards';
import type { JobFormKit } from './kit';

const TYPES = [
  [
    'command',
    'Command',
    'Runs an executable with arguments. Params arrive as JOB_PARAMS (environment and stdin); stdout and stderr become the log.',
  ],
  [
    'http',
    'HTTP request',
    'Sends {"runId","jobId","params"} as JSON. A 2xx answer is success; the response goes to the log.',
  ],
] as const;

/** Command or HTTP, as two radio cards. */
export function TypePicker({ kit, type }: { kit: JobFormKit; type: 'command' | 'http' | 'pipeline' }) {
  const { register } = kit;
  return <RadioCards legend="Type" options={TYPES} selected={type} field={register('type')} />;
}
