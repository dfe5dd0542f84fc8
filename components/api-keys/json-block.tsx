/** Formatted JSON under a heading (decoded header and payload). */
export function JsonBlock({ title, value, id }: { title: string; value: unknown; id: string }) {
  return (
    <section aria-labelledby={id} className="min-w-0">
      <h3 id={id} className="mb-1.5 text-sm font-medium text-fg">
        {title}
      </h3>
      <pre
        tabIndex={0}
        aria-labelledby={id}
        className="overflow-x-auto rounded-md border border-border bg-surface-muted p-3 font-mono text-xs leading-relaxed text-fg"
      >
        {JSON.stringify(value, null, 2)}
      </pre>
    </section>
  );
}
