import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { KeyStatus } from '@/lib/validations/api-key';

const tones: Record<KeyStatus, BadgeTone> = {
  active: 'success',
  expiring: 'warning',
  rolling: 'info',
  expired: 'neutral',
  revoked: 'danger',
};
export const KEY_STATUS_LABELS: Record<KeyStatus, string> = {
  active: 'Active',
  expiring: 'Expiring',
  rolling: 'Rolling over',
  expired: 'Expired',
  revoked: 'Revoked',
};

export function KeyStatusBadge({ status }: { status: KeyStatus }) {
  return (
    <Badge tone={tones[status]} dot data-status={status}>
      {KEY_STATUS_LABELS[status]}
    </Badge>
  );
}
