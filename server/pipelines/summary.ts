/** A pipeline in one line for lists: its step count and first steps' ids. */
export function pipelineSummary(config: unknown): string {
  const steps = ((config ?? {}) as { steps?: { id?: string }[] }).steps ?? [];
  const ids = steps.slice(0, 6).map((s) => s.id ?? '?');
  return `${steps.length} step${steps.length === 1 ? '' : 's'}: ${ids.join(', ')}${steps.length > 6 ? ', …' : ''}`;
}
