import type { Control, FieldErrors, UseFormRegister } from 'react-hook-form';
import type { CreateApiKeyInput, CreateApiKeyValues } from '@/lib/validations/api-key';

/** What each card of the create-key form needs from the form. */
export interface KeyFormKit {
  register: UseFormRegister<CreateApiKeyInput>;
  control: Control<CreateApiKeyInput, unknown, CreateApiKeyValues>;
  errors: FieldErrors<CreateApiKeyInput>;
  /** The DOM id of a field: `key-<name>`. */
  fieldId: (name: string) => string;
  /** Its aria-describedby: the hint (when it has one) and the error line. */
  describedBy: (name: string, hint?: boolean) => string;
}
