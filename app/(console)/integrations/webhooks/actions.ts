'use server';

import { createWebhookSchema, type CreateWebhookInput } from '@/lib/validations/webhook';
import { actionFailure, invalidInput, type ActionResult } from '@/server/http/action-result';
import { sessionActor } from '@/server/members/session-actor';
import { createWebhookEndpoint } from '@/server/webhooks/create-endpoint';
import {
  deleteWebhookEndpoint,
  redeliverWebhook,
  rotateWebhookSecret,
  setWebhookEnabled,
} from '@/server/webhooks/manage-endpoint';

// The secret comes back to the one person who created or rotated it, once; it is never shown again.
export async function createWebhookAction(
  input: CreateWebhookInput,
): Promise<ActionResult<{ id: string; secret: string }>> {
  try {
    const actor = await sessionActor();
    const parsed = createWebhookSchema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error.issues);
    return { ok: true, ...(await createWebhookEndpoint(actor, parsed.data)) };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function rotateWebhookAction(id: string): Promise<ActionResult<{ secret: string }>> {
  try {
    const { secret } = await rotateWebhookSecret(await sessionActor(), String(id));
    return { ok: true, secret };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function deleteWebhookAction(id: string): Promise<ActionResult> {
  try {
    await deleteWebhookEndpoint(await sessionActor(), String(id));
    return { ok: true };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function setWebhookEnabledAction(id: string, enabled: boolean): Promise<ActionResult> {
  try {
    await setWebhookEnabled(await sessionActor(), String(id), enabled === true);
    return { ok: true };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function redeliverAction(id: string, deliveryId: string): Promise<ActionResult> {
  try {
    await redeliverWebhook(await sessionActor(), String(id), String(deliveryId));
    return { ok: true };
  } catch (error) {
    return actionFailure(error);
  }
}
