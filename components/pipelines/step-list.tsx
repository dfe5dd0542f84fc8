/** A pipeline's steps as saved, in a line each: the step and the steps it runs after. */
export function PipelineStepList({ config }: { config: unknown }) {
  const steps =
    ((config ?? {}) as { steps?: { id: string; parents?: string[]; condition?: string }[] }).steps ?? [];
  return (
    <ol className="flex flex-col gap-1 font-mono text-xs">
      {steps.map((step) => (
        <li key={step.id}>
          {step.id}
          {step.parents?.length ? (
            <span className="text-fg-muted">
              {' '}
              after {step.parents.join(', ')}
              {step.condition === 'finished' ? ' (whatever the outcome)' : ''}
            </span>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
