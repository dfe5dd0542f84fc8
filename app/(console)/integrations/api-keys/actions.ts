'use server';

import {
  confirmPasswordSchema,
  createApiKeySchema,
  revealPurposeSchema,
  rollApiKeySchema,
  testKeySchema,
  updateApiKeySchema,
  type CreateApiKeyInput,
  type RollApiKeyInput,
  type UpdateApiKeyInput,
} from '@/lib/validations/api-key';
import { AppError } from '@/server/errors';
import { actionFailure, invalidInput, type ActionResult } from '@/server/http/action-result';
import { createApiKey } from '@/server/keys/create-key';
import { revealApiKey, type RevealPurpose } from '@/server/keys/reveal-key';
import { revokeApiKey } from '@/server/keys/revoke-key';
import { rollApiKey } from '@/server/keys/roll-key';
import { testApiKey, type KeyTestResult } from '@/server/keys/test-key';
import { updateApiKey } from '@/server/keys/update-key';
import { sessionActor } from '@/server/members/session-actor';
import { confirmPassword } from '@/server/auth/reauth';
import { isUuid } from '@/lib/validations/ids';

function keyId(id: unknown): string {
  if (!isUuid(id)) throw new AppError('key_not_found', 'No such API key in this organisation');
  return id.toLowerCase();
}

// Create and roll answer with the new key's id and its token, handed once to the key's page in memory
// (never in a URL); the dialogs refresh the page. Every console page is dynamic, so nothing stale is cached.
export async function createKeyAction(
  input: CreateApiKeyInput,
): Promise<ActionResult<{ id: string; token: string }>> {
  const actor = await sessionActor();
  const parsed = createApiKeySchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  try {
    const { id, token } = await createApiKey(actor, parsed.data);
    return { ok: true, id, token };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function revokeKeyAction(id: string): Promise<ActionResult> {
  try {
    const actor = await sessionActor();
    await revokeApiKey(actor, keyId(id));
  } catch (error) {
    return actionFailure(error);
  }
  return { ok: true };
}

export async function rollKeyAction(
  id: string,
  input: RollApiKeyInput,
): Promise<ActionResult<{ id: string; token: string }>> {
  try {
    const actor = await sessionActor();
    const parsed = rollApiKeySchema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error.issues, 'Choose a grace period.');
    const created = await rollApiKey(actor, keyId(id), parsed.data);
    return { ok: true, id: created.id, token: created.token };
  } catch (error) {
    return actionFailure(error);
  }
}

/** A deliberate Reveal or Copy of a key's token: re-signed on the server, one audit event each. */
export async function revealKeyAction(
  id: string,
  why: RevealPurpose,
): Promise<ActionResult<{ token: string }>> {
  try {
    const actor = await sessionActor();
    const parsed = revealPurposeSchema.safeParse(why);
    if (!parsed.success) throw new AppError('validation_failed', 'Say why the token is needed');
    const { token } = await revealApiKey(actor, keyId(id), parsed.data);
    return { ok: true, token };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function updateKeyAction(id: string, input: UpdateApiKeyInput): Promise<ActionResult> {
  try {
    const actor = await sessionActor();
    const parsed = updateApiKeySchema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error.issues);
    await updateApiKey(actor, keyId(id), parsed.data);
  } catch (error) {
    return actionFailure(error);
  }
  return { ok: true };
}

export async function testKeyAction(
  id: string,
  job: string,
  params: Record<string, unknown> = {},
): Promise<ActionResult<{ result: KeyTestResult }>> {
  try {
    const actor = await sessionActor();
    const input = testKeySchema.safeParse({ job, params });
    if (!input.success) return invalidInput(input.error.issues);
    return { ok: true, result: await testApiKey(actor, keyId(id), input.data.job, input.data.params) };
  } catch (error) {
    return actionFailure(error);
  }
}

/** The password typed again before a token is shown ("sudo" for 10 minutes in this session). */
export async function confirmPasswordAction(password: string): Promise<ActionResult> {
  try {
    const actor = await sessionActor();
    const parsed = confirmPasswordSchema.safeParse({ password });
    if (!parsed.success) return invalidInput(parsed.error.issues, 'Type your password.');
    await confirmPassword(actor.sessionId!, actor.userId, parsed.data.password);
    return { ok: true };
  } catch (error) {
    return actionFailure(error);
  }
}
