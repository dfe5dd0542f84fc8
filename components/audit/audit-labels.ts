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
  'member.invited': 'Member invited',
  'member.invitation_revoked': 'Invitation revoked',
  'member.joined': 'Member joined',
  'member.removed': 'Member removed',
  'member.left': 'Member left',
  'org.created': 'Organisation created',
  'job.started': 'Job started',
  'job.created': 'Job created',
  'schedule.skipped': 'Scheduled tick skipped',
  'webhook.created': 'Webhook added',
  'webhook.deleted': 'Webhook deleted',
  'webhook.secret_rotated': 'Webhook secret rotated',
  'webhook.enabled': 'Webhook turned on',
  'webhook.disabled': 'Webhook turned off',
  'webhook.redelivered': 'Webhook redelivered',
  'job.updated': 'Job edited',
  'job.deleted': 'Job deleted',
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}
