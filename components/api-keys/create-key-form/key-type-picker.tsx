'use client';

import { RadioCards } from '@/components/ui/radio-cards';
import type { KeyFormKit } from './kit';

const TYPES = [
  ['functional', 'Functional', 'For a program or pipeline. The owner and admins can see the token.'],
  ['personal', 'Personal', 'For you alone. Only you can ever see the token.'],
] as const;

/** Functional or personal, as two radio cards. */
export function KeyTypePicker({ kit, type }: { kit: KeyFormKit; type: string | undefined }) {
  const { register } = kit;
  return (
    <RadioCards
      legend="Type"
      options={TYPES}
      selected={type}
      field={register('type')}
      className="sm:col-span-2"
    />
  );
}
