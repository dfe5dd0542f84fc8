'use client';

import { Controller, get, type FieldErrors } from 'react-hook-form';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { FieldError } from '@/components/ui/input';
import type { JobFormKit } from './kit';
import { ListEditor } from './list-editor';

/** "When a run fails": mail the job's creator and listed members (each can opt out in their account). */
export function NotifyCard({ kit }: { kit: JobFormKit }) {
  const { register, control, errors, fid } = kit;
  const listErrors = get(errors as FieldErrors, 'notifyEmails');
  return (
    <Card>
      <CardHeader
        title="When a run fails"
        description="A mail with the error and a link to the run, once per failed run."
      />
      <CardBody className="grid gap-5">
        <label className="flex items-start gap-2 text-sm">
          <input
            id={fid('notifyOnFailure')}
            type="checkbox"
            className="mt-1 accent-[var(--app-accent)]"
            aria-describedby={`${fid('notifyOnFailure')}-hint`}
            {...register('notifyOnFailure')}
          />
          <span>
            <span className="font-medium">Mail the watchers when a run fails</span>
            <span id={`${fid('notifyOnFailure')}-hint`} className="block text-xs text-fg-muted">
              Watchers are whoever created the job and the members listed below. Anyone can stop these mails
              in Settings &gt; Your account.
            </span>
          </span>
        </label>
        <div>
          <p id={`${fid('notifyEmails')}-label`} className="mb-1.5 text-sm font-medium text-fg">
            Other members to mail
          </p>
          <Controller
            control={control}
            name="notifyEmails"
            render={({ field }) => (
              <ListEditor
                id={fid('notifyEmails')}
                value={(field.value as string[] | undefined) ?? []}
                onChange={field.onChange}
                errors={listErrors}
                itemLabel="Member email"
                addLabel="Add member"
                placeholder="grace@example.com"
                emptyText="Only the job’s creator."
              />
            )}
          />
          <FieldError>{(listErrors as { message?: string } | undefined)?.message}</FieldError>
        </div>
      </CardBody>
    </Card>
  );
}
