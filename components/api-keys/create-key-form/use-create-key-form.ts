'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import {
  createApiKeySchema,
  MAX_TOKEN_BYTES,
  type CreateApiKeyInput,
  type CreateApiKeyValues,
} from '@/lib/validations/api-key';
import { applyServerErrors, type ServerFailure } from '../form-errors';
import { handOver } from '../handover';
import type { KeyFormKit } from './kit';
import { payloadPreview, shownPath, tooBigMessage } from './preview';

export type CreateKeyAction = (
  input: CreateApiKeyInput,
) => Promise<{ ok: true; id: string; token: string } | ServerFailure>;

const DEFAULTS: CreateApiKeyInput = {
  name: '',
  selector: '',
  description: '',
  type: 'functional',
  // A leaked key that never expires works for ever: 90 days, as most API providers default to.
  expires: '90d',
  expiresAt: '',
  jobScope: 'all',
  jobIds: [],
  fields: [],
  rateLimit: null,
};

// After a refused submit, by mouse too: focus the first invalid field (in page order), so a screen
// reader reads its label and error at once.
const focusFirstInvalid = (_errors: unknown, event?: { target: unknown }) => {
  const form = event?.target instanceof HTMLFormElement ? event.target : null;
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
};

const fieldId = (name: string) => `key-${name}`;
const describedBy = (name: string, hint = false) =>
  [hint ? `${fieldId(name)}-hint` : null, `${fieldId(name)}-error`].filter(Boolean).join(' ');

/** The form, its live payload preview, and a submit that opens the new key's page with its token. */
export function useCreateKeyForm(
  action: CreateKeyAction,
  context: { orgSlug: string; kid: string; now: number },
) {
  const [formError, setFormError] = useState<string | null>(null);
  const [navigating, setNavigating] = useState(false);
  const router = useRouter();
  const form = useForm<CreateApiKeyInput, unknown, CreateApiKeyValues>({
    resolver: zodResolver(createApiKeySchema),
    mode: 'onTouched',
    defaultValues: DEFAULTS,
  });
  const { register, control, handleSubmit, setError, formState } = form;
  const values = useWatch({ control });
  const { orgSlug, kid, now } = context;
  const preview = useMemo(() => payloadPreview(values, { orgSlug, kid, now }), [values, orgSlug, kid, now]);
  const tooBig = preview.bytes > MAX_TOKEN_BYTES;

  const onSubmit = handleSubmit(async (data) => {
    setFormError(null);
    if (tooBig) return setError('fields', { message: tooBigMessage(preview.bytes, MAX_TOKEN_BYTES) });
    const result = await action(data);
    if (result.ok) {
      setNavigating(true);
      handOver(result.id, result.token, 'created');
      router.push(`/integrations/api-keys/${result.id}`);
      return;
    }
    const rest = applyServerErrors(result, setError, shownPath);
    setFormError([result.errors.length ? null : result.message, ...rest].filter(Boolean).join(' ') || null);
  }, focusFirstInvalid);

  const kit: KeyFormKit = { register, control, errors: formState.errors, fieldId, describedBy };
  const busy = formState.isSubmitting || navigating;
  return { kit, values, preview, tooBig, formError, onSubmit, busy };
}
