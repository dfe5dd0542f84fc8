'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { createOrganizationSchema, type CreateOrganizationInput } from '@/lib/validations/member';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FieldError, FieldHint, Input, Label } from '@/components/ui/input';

type Result =
  { ok: true; message: string } | { ok: false; message: string; errors: { path: string; message: string }[] };

/** A new organisation with the signed-in person as its owner; the console switches to it. */
export function CreateOrganizationForm({
  action,
}: {
  action: (input: CreateOrganizationInput) => Promise<Result>;
}) {
  const [error, setErrorText] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<CreateOrganizationInput>({
    resolver: zodResolver(createOrganizationSchema),
    defaultValues: { name: '', slug: '' },
  });

  const onSubmit = handleSubmit(async (data) => {
    setErrorText(null);
    const result = await action(data);
    if (result?.ok === false) {
      const placed = result.errors.filter((e) => e.path === 'name' || e.path === 'slug');
      placed.forEach((e, i) =>
        setError(
          e.path as keyof CreateOrganizationInput,
          { type: 'server', message: e.message },
          { shouldFocus: i === 0 },
        ),
      );
      if (placed.length === 0) setErrorText(result.message);
    }
  });

  return (
    <form method="post" noValidate onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2">
      {error ? (
        <Alert tone="danger" className="sm:col-span-2">
          {error}
        </Alert>
      ) : null}
      <div>
        <Label htmlFor="org-name">Organisation name</Label>
        <Input
          id="org-name"
          autoComplete="organization"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby="org-name-error"
          {...register('name')}
        />
        <FieldError id="org-name-error">{errors.name?.message}</FieldError>
      </div>
      <div>
        <Label htmlFor="org-slug">Short name</Label>
        <Input
          id="org-slug"
          autoComplete="off"
          aria-invalid={errors.slug ? true : undefined}
          aria-describedby="org-slug-hint org-slug-error"
          {...register('slug')}
        />
        <FieldHint id="org-slug-hint">
          Lower-case letters, digits and -; it is part of every API key.
        </FieldHint>
        <FieldError id="org-slug-error">{errors.slug?.message}</FieldError>
      </div>
      <div className="sm:col-span-2">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? 'Creating…' : 'Create organisation'}
        </Button>
      </div>
    </form>
  );
}
