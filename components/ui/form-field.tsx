import type { ReactNode } from 'react';
import { FieldError, FieldHint, Label } from './input';

/** What a field's control needs to be tied to its label, hint and error line. */
export interface FieldControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string;
}

/**
 * A labelled field: the label, the control (rendered by `children` with its id and aria props), an
 * optional hint and the error line, tied together by ids (`<id>-hint`, `<id>-error`).
 */
export function FormField({
  id,
  label,
  hint,
  error,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const describedBy = hint ? `${id}-hint ${id}-error` : `${id}-error`;
  return (
    <div className={className}>
      <Label htmlFor={id}>{label}</Label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint ? <FieldHint id={`${id}-hint`}>{hint}</FieldHint> : null}
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}
