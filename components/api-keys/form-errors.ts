import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';

export interface ServerFailure {
  ok: false;
  message: string;
  errors: { path: string; message: string }[];
}

/**
 * Puts a server action's field errors beside the fields they concern (react-hook-form setError). Returns
 * the messages that belong to no field of the form, for an alert at its top.
 */
export function applyServerErrors<T extends FieldValues>(
  failure: ServerFailure,
  setError: UseFormSetError<T>,
  known: (path: string) => boolean,
): string[] {
  const rest: string[] = [];
  let first = true;
  for (const error of failure.errors) {
    if (known(error.path)) {
      setError(error.path as Path<T>, { type: 'server', message: error.message }, { shouldFocus: first });
      first = false;
    } else rest.push(error.message);
  }
  return rest;
}
