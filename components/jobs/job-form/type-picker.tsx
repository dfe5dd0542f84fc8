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
  [
    'pipeline',
    'Pipeline',
    'Runs jobs of this organisation as steps, each after its parents. It fails when a step fails, once the others finish.',
  ],
] as const;

/** Command, HTTP or pipeline, as radio cards. */
export function TypePicker({ kit, type }: { kit: JobFormKit; type: 'command' | 'http' | 'pipeline' }) {
  const { register } = kit;
  return <RadioCards legend="Type" options={TYPES} selected={type} field={register('type')} />;
}
