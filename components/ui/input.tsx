import type { ComponentProps } from 'react';
import { cn } from './cn';

const control =
  'block w-full rounded-md border border-border-strong bg-surface px-3 text-sm text-fg shadow-sm ' +
  'placeholder:text-fg-muted/70 focus-visible:border-accent focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-ring ' +
  'disabled:cursor-not-allowed disabled:bg-surface-muted disabled:opacity-70 ' +
  'aria-invalid:border-danger aria-invalid:focus-visible:outline-danger';

/** A text input; pass aria-invalid and aria-describedby (the FieldError's id) when it has an error. */
export function Input({ className, ...props }: ComponentProps<'input'>) {
  return <input className={cn(control, 'h-10', className)} {...props} />;
}

export function Textarea({ className, ...props }: ComponentProps<'textarea'>) {
  return <textarea className={cn(control, 'min-h-24 py-2', className)} {...props} />;
}

export function Select({ className, ...props }: ComponentProps<'select'>) {
  return <select className={cn(control, 'h-10 pr-8', className)} {...props} />;
}

export function Label({ className, ...props }: ComponentProps<'label'>) {
  return <label className={cn('mb-1.5 block text-sm font-medium text-fg', className)} {...props} />;
}

/** A field's error message (nothing when there is none); give it the id the input's aria-describedby names. */
export function FieldError({ className, children, ...props }: ComponentProps<'p'>) {
  if (!children) return null;
  return (
    <p className={cn('mt-1.5 text-sm text-danger', className)} {...props}>
      {children}
    </p>
  );
}

/** A hint under a field. */
export function FieldHint({ className, ...props }: ComponentProps<'p'>) {
  return <p className={cn('mt-1.5 text-xs text-fg-muted', className)} {...props} />;
}
