import type { Control, FieldErrors, UseFormRegister } from 'react-hook-form';
import type { JobDefinition, JobDefinitionInput } from '@/lib/validations/job';

/** What each card of the job form needs from the form: its fields, their ids and their errors. */
export interface JobFormKit {
  register: UseFormRegister<JobDefinitionInput>;
  control: Control<JobDefinitionInput, unknown, JobDefinition>;
  errors: FieldErrors<JobDefinitionInput>;
  /** The DOM id of a field (`config.url` → `job-config-url-<uid>`). */
  fid: (name: string) => string;
  /** The first error message of a field. */
  err: (path: string) => string | undefined;
}
