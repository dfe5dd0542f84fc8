import { Badge, type BadgeTone } from '@/components/ui/badge';

export type KeyStatusName = 'active' | 'expiring' | 'rolling' | 'expired' | 'revoked';

const tones: Record<KeyStatusName, BadgeTone> = {
  active: 'success',
  expiring: 'warning',
  rolling: 'info',
  expired: 'neutral',
  revoked: 'danger',
};
export const KEY_STATUS_LABELS: Record<KeyStatusName, string> = {
  active: 'Active',
  expiring: 'Expiring',
  rolling: 'Rolling over',
  expired: 'Expired',
  revoked: 'Revoked',
};

export function KeyStatusBadge({ status }: { status: KeyStatusName }) {
  return (
    <Badge tone={tones[status]} dot data-status={status}>
      {KEY_STATUS_LABELS[status]}
    </Badge>
  );
}
