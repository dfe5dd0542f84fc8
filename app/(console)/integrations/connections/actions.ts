'use server';

import {
  createConnectionSchema,
  replaceConnectionSchema,
  type CreateConnectionInput,
  type ReplaceConnectionInput,
} from '@/lib/validations/connection';
import {
  createConnection,
  deleteConnection,
  replaceConnectionFields,
} from '@/server/connections/manage-connection';
import { actionFailure, invalidInput, type ActionResult } from '@/server/http/action-result';
import { sessionActor } from '@/server/members/session-actor';

// Secret values go one way: in through these actions, sealed at once; no answer carries one back.

export async function createConnectionAction(
  input: CreateConnectionInput,
): Promise<ActionResult<{ id: string }>> {
  try {
    const actor = await sessionActor();
    const parsed = createConnectionSchema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error.issues);
    const created = await createConnection(actor, parsed.data);
    return { ok: true, id: created.id };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function replaceConnectionAction(
  id: string,
  input: ReplaceConnectionInput,
): Promise<ActionResult> {
  try {
    const actor = await sessionActor();
    const parsed = replaceConnectionSchema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error.issues);
    await replaceConnectionFields(actor, String(id), parsed.data);
    return { ok: true };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function deleteConnectionAction(id: string): Promise<ActionResult> {
  try {
    await deleteConnection(await sessionActor(), String(id));
    return { ok: true };
  } catch (error) {
    return actionFailure(error);
  }
}
