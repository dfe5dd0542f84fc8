/** How each recorded action reads in the console. */
export const ACTION_LABELS: Record<string, string> = {
  'key.created': 'Key created',
  'key.revealed': 'Key revealed',
  'key.copied': 'Key copied',
  'key.rolled': 'Key rolled',
  'key.revoked': 'Key revoked',
  'key.updated': 'Key edited',
  'key.tested': 'Key tested',
  'member.added': 'Member added',
  'member.role_changed': 'Role changed',
  'job.started': 'Job started',
  'job.created': 'Job created',
  'job.updated': 'Job edited',
  'job.deleted': 'Job deleted',
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}
