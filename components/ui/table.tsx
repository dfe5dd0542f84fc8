import type { ComponentProps } from 'react';
import { cn } from './cn';

/**
 * A table in a bordered, horizontally scrollable frame (focusable, so the keyboard can scroll it). Give it
 * a caption (visible or sr-only). `stack`: stacked rows on a phone; give the cells a `label`.
 */
export function Table({ className, stack = false, ...props }: ComponentProps<'table'> & { stack?: boolean }) {
  return (
    <div tabIndex={0} className="overflow-x-auto rounded-lg border border-border bg-surface shadow-sm">
      <table
        className={cn('w-full border-collapse text-left text-sm', stack && 'stack', className)}
        {...props}
      />
    </div>
  );
}

export function TableCaption({ className, ...props }: ComponentProps<'caption'>) {
  return <caption className={cn('px-4 py-3 text-left text-sm text-fg-muted', className)} {...props} />;
}

export function THead({ className, ...props }: ComponentProps<'thead'>) {
  return (
    <thead
      className={cn('bg-surface-muted text-xs font-medium text-fg-muted uppercase', className)}
      {...props}
    />
  );
}

export function TBody({ className, ...props }: ComponentProps<'tbody'>) {
  return <tbody className={cn('divide-y divide-border', className)} {...props} />;
}

export function TR({ className, ...props }: ComponentProps<'tr'>) {
  return <tr className={cn('hover:bg-surface-muted/60', className)} {...props} />;
}

export function TH({ className, scope = 'col', ...props }: ComponentProps<'th'>) {
  return (
    <th
      scope={scope}
      className={cn(
        'border-b border-border px-4 py-2.5 font-medium tracking-wide whitespace-nowrap',
        className,
      )}
      {...props}
    />
  );
}

/** A cell; `label` names its column in the stacked rows of a phone. */
export function TD({ className, label, ...props }: ComponentProps<'td'> & { label?: string }) {
  return <td data-label={label} className={cn('px-4 py-3 align-middle text-fg', className)} {...props} />;
}
