'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import {
  useFieldArray,
  useForm,
  useWatch,
  type Control,
  type UseFieldArrayReturn,
  type FieldErrors,
  type UseFormRegister,
} from 'react-hook-form';
import {
  CONNECTION_TYPE_NAMES,
  CONNECTION_TYPES,
  createConnectionSchema,
  type ConnectionType,
  type CreateConnectionInput,
  type CreateConnectionValues,
  type FieldSpec,
} from '@/lib/validations/connection';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FieldError, FieldHint, Input, Label, Select, Textarea } from '@/components/ui/input';

type Result =
  { ok: true; id: string } | { ok: false; message: string; errors: { path: string; message: string }[] };

const rowsFor = (type: ConnectionType) => {
  const specs: FieldSpec[] = CONNECTION_TYPES[type].fields;
  return specs.length
    ? specs.map((s) => ({ name: s.name, value: '', secret: s.secret }))
    : [{ name: 'password', value: '', secret: true }];
};

type Form = {
  register: UseFormRegister<CreateConnectionInput>;
  control: Control<CreateConnectionInput, unknown, CreateConnectionValues>;
  errors: FieldErrors<CreateConnectionInput>;
  id: (name: string) => string;
  rows: UseFieldArrayReturn<CreateConnectionInput, 'fields'>;
};

/** A connection's type decides its fields; a generic one has the fields its author names. */
export function CreateConnectionForm({
  create,
}: {
  create: (input: CreateConnectionInput) => Promise<Result>;
}) {
  const router = useRouter();
  const uid = useId();
  const [message, setMessage] = useState<{ tone: 'danger' | 'success'; text: string } | null>(null);
  const {
    register,
    control,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<CreateConnectionInput, unknown, CreateConnectionValues>({
    resolver: zodResolver(createConnectionSchema),
    defaultValues: {
      name: '',
      type: 'postgres',
      scope: 'shared',
      description: '',
      expiresAt: '',
      fields: rowsFor('postgres'),
    },
  });
  const onSubmit = handleSubmit(async (data) => {
    setMessage(null);
    const result = await create(data);
    if (result.ok) {
      reset({ ...data, name: '', description: '', expiresAt: '', fields: rowsFor(data.type) });
      setMessage({
        tone: 'success',
        text: `Saved "${data.name}". Its secret fields can be replaced, never read.`,
      });
      router.refresh();
      return;
    }
    for (const e of result.errors) setError(e.path as 'name', { message: e.message });
    setMessage({ tone: 'danger', text: result.message });
  });
  const rows = useFieldArray({ control, name: 'fields' });
  const form: Form = {
    register,
    control,
    errors,
    rows,
    id: (name) => `connection-${name.replaceAll('.', '-')}-${uid}`,
  };
  return (
    <form method="post" noValidate onSubmit={onSubmit} className="grid gap-4" aria-label="Add a connection">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <NameAndType form={form} />
      <ScopeChoice form={form} />
      <FieldRows form={form} />
      <DescriptionAndExpiry form={form} />
      <div>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? 'Saving…' : 'Save connection'}
        </Button>
      </div>
    </form>
  );
}

function NameAndType({ form: { register, errors, id, rows } }: { form: Form }) {
  const typeField = register('type');
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <div>
        <Label htmlFor={id('name')}>Name</Label>
        <Input
          id={id('name')}
          autoComplete="off"
          spellCheck={false}
          className="font-mono"
          placeholder="warehouse"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={`${id('name')}-hint ${id('name')}-error`}
          {...register('name')}
        />
        <FieldHint id={`${id('name')}-hint`}>What jobs call it.</FieldHint>
        <FieldError id={`${id('name')}-error`}>{errors.name?.message}</FieldError>
      </div>
      <div>
        <Label htmlFor={id('type')}>Type</Label>
        <Select
          id={id('type')}
          {...typeField}
          onChange={(event) => {
            void typeField.onChange(event);
            rows.replace(rowsFor(event.target.value as ConnectionType));
          }}
        >
          {CONNECTION_TYPE_NAMES.map((t) => (
            <option key={t} value={t}>
              {CONNECTION_TYPES[t].label}
            </option>
          ))}
        </Select>
      </div>
    </div>
  );
}

function ScopeChoice({ form: { register } }: { form: Form }) {
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1.5 text-sm font-medium text-fg">Who may use it</legend>
      <label className="flex items-start gap-2 text-sm text-fg">
        <input type="radio" value="shared" className="mt-1" {...register('scope')} />
        <span>Shared: every job of the organisation; members see its name and non-secret fields.</span>
      </label>
      <label className="flex items-start gap-2 text-sm text-fg">
        <input type="radio" value="personal" className="mt-1" {...register('scope')} />
        <span>Personal: only jobs you define; nobody else sees it.</span>
      </label>
    </fieldset>
  );
}

function FieldRows({ form }: { form: Form }) {
  const { control, errors, rows: fields } = form;
  const type = useWatch({ control, name: 'type' }) as ConnectionType;
  const generic = CONNECTION_TYPES[type].fields.length === 0;
  return (
    <fieldset className="grid gap-3">
      <legend className="mb-1.5 text-sm font-medium text-fg">Fields</legend>
      {fields.fields.map((row, i) => (
        <FieldRow
          key={row.id}
          form={form}
          index={i}
          type={type}
          name={row.name}
          onRemove={fields.fields.length > 1 ? () => fields.remove(i) : undefined}
        />
      ))}
      <FieldError>{errors.fields?.message ?? errors.fields?.root?.message}</FieldError>
      {generic ? (
        <div>
          <Button
            variant="secondary"
            size="sm"
            onClick={() => fields.append({ name: '', value: '', secret: true })}
          >
            Add a field
          </Button>
        </div>
      ) : null}
    </fieldset>
  );
}

function FieldRow({
  form: { register, control, errors, id },
  index: i,
  type,
  name,
  onRemove,
}: {
  form: Form;
  index: number;
  type: ConnectionType;
  name: string;
  onRemove?: () => void;
}) {
  const spec = (CONNECTION_TYPES[type].fields as FieldSpec[]).find((s) => s.name === name);
  const flagged = useWatch({ control, name: `fields.${i}.secret` });
  const secret = spec ? spec.secret : flagged !== false;
  const valueId = id(`fields-${i}-value`);
  const error = errors.fields?.[i]?.value?.message ?? errors.fields?.[i]?.name?.message;
  const valueProps = {
    id: valueId,
    spellCheck: false,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': `${valueId}-error`,
    ...register(`fields.${i}.value`),
  };
  return (
    <div className="grid gap-2 rounded-md border border-border p-3">
      {spec ? null : (
        <div className="grid gap-2 sm:grid-cols-[1fr_auto_auto] sm:items-end">
          <div>
            <Label htmlFor={id(`fields-${i}-name`)}>Field name</Label>
            <Input
              id={id(`fields-${i}-name`)}
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
              {...register(`fields.${i}.name`)}
            />
          </div>
          <label className="flex h-10 items-center gap-2 text-sm text-fg">
            <input type="checkbox" {...register(`fields.${i}.secret`)} /> Secret
          </label>
          <Button variant="ghost" size="sm" onClick={onRemove} disabled={!onRemove}>
            Remove
          </Button>
        </div>
      )}
      <div>
        <Label htmlFor={valueId}>
          {spec ? spec.label : 'Value'}
          {spec && !spec.required ? <span className="font-normal text-fg-muted"> (optional)</span> : null}
          {secret ? <span className="font-normal text-fg-muted"> · secret, write-only</span> : null}
        </Label>
        {spec?.multiline ? (
          <Textarea className="font-mono text-xs" {...valueProps} />
        ) : (
          <Input
            type={secret ? 'password' : 'text'}
            autoComplete={secret ? 'new-password' : 'off'}
            className="font-mono"
            {...valueProps}
          />
        )}
        {spec?.hint ? <FieldHint>{spec.hint}</FieldHint> : null}
        <FieldError id={`${valueId}-error`}>{error}</FieldError>
      </div>
    </div>
  );
}

function DescriptionAndExpiry({ form: { register, errors, id } }: { form: Form }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <div>
        <Label htmlFor={id('description')}>
          Description <span className="font-normal text-fg-muted">(optional)</span>
        </Label>
        <Input id={id('description')} autoComplete="off" {...register('description')} />
      </div>
      <div>
        <Label htmlFor={id('expires')}>
          Expires <span className="font-normal text-fg-muted">(optional)</span>
        </Label>
        <Input
          id={id('expires')}
          type="date"
          aria-invalid={errors.expiresAt ? true : undefined}
          aria-describedby={`${id('expires')}-hint`}
          {...register('expiresAt')}
        />
        <FieldHint id={`${id('expires')}-hint`}>
          Valid through that day (UTC); runs fail after it, and the list warns two weeks before.
        </FieldHint>
        <FieldError>{errors.expiresAt?.message}</FieldError>
      </div>
    </div>
  );
}
