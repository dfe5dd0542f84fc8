import type { Metadata } from 'next';
import Link from 'next/link';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireSession } from '@/server/auth/session';
import { ERROR_STATUS, ERROR_TITLE } from '@/server/errors';
import { openApiDocument } from '@/server/http/openapi';
import { publicUrl } from '@/server/config';

export const metadata: Metadata = { title: 'API reference' };

type Operation = {
  summary?: string;
  description?: string;
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    description?: string;
    schema?: { type?: string; enum?: string[] };
  }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<
    string,
    {
      description: string;
      headers?: Record<string, { required?: boolean }>;
      links?: Record<string, { operationId: string }>;
    }
  >;
};

type RequestSchema = {
  properties: Record<string, { type?: string; enum?: string[]; maxLength?: number }>;
  required?: string[];
};

/** An operation's answers: status, meaning, required headers and links. */
function Responses({ label, responses }: { label: string; responses: Operation['responses'] }) {
  return (
    <section aria-label={label}>
      <h3 className="mb-1 font-medium">Responses</h3>
      <ul className="space-y-1">
        {Object.entries(responses).map(([status, r]) => (
          <li key={status}>
            <code
              className={
                Number(status) < 400
                  ? 'text-emerald-700 dark:text-emerald-400'
                  : 'text-red-700 dark:text-red-400'
              }
            >
              {status}
            </code>{' '}
            <span className="text-fg-muted">{r.description}</span>
            {Object.entries(r.headers ?? {}).some(([, h]) => h.required) ? (
              <span className="text-fg-muted">
                {' '}
                — headers{' '}
                {Object.entries(r.headers ?? {})
                  .filter(([, h]) => h.required)
                  .map(([name]) => name)
                  .join(', ')}
              </span>
            ) : null}
            {r.links ? (
              <span className="text-fg-muted">
                {' '}
                — links to{' '}
                {Object.values(r.links)
                  .map((l) => l.operationId)
                  .join(', ')}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One operation: its method and URL, parameters, body and answers. */
function OperationCard({
  origin,
  path,
  method,
  op,
  requestSchema,
}: {
  origin: string;
  path: string;
  method: string;
  op: Operation;
  requestSchema: RequestSchema;
}) {
  return (
    <Card>
      <CardHeader
        title={
          <span className="font-mono break-all">
            <span className="mr-2 rounded bg-accent-soft px-1.5 py-0.5 text-accent">{method}</span>
            {origin}
            {path}
          </span>
        }
        description={op.summary}
      />
      <CardBody className="space-y-4 text-sm">
        {op.description ? <p className="text-fg-muted">{op.description.replace(/`/g, '')}</p> : null}
        {op.parameters?.length ? (
          <section aria-label={`Parameters of ${method} ${path}`}>
            <h3 className="mb-1 font-medium">Parameters</h3>
            <ul className="list-inside list-disc text-fg-muted">
              {op.parameters.map((p) => (
                <li key={p.name}>
                  <code className="text-fg">{p.name}</code> ({p.in}
                  {p.required ? ', required' : ''})
                  {p.schema?.enum ? `: one of ${p.schema.enum.join(', ')}` : ''}
                  {p.description ? ` — ${p.description}` : ''}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {op.requestBody ? (
          <section aria-label={`Body of ${method} ${path}`}>
            <h3 className="mb-1 font-medium">JSON body</h3>
            <ul className="list-inside list-disc text-fg-muted">
              {Object.entries(requestSchema.properties).map(([name, s]) => (
                <li key={name}>
                  <code className="text-fg">{name}</code>{' '}
                  {s.enum ? `(${s.enum.join(' | ')})` : `(${s.type ?? 'any'})`}
                  {requestSchema.required?.includes(name) ? ', required' : ''}
                </li>
              ))}
            </ul>
            <p className="mt-1 text-fg-muted">
              Unknown fields are refused (422). Bodies over 64 KiB are refused (413).
            </p>
          </section>
        ) : null}
        <Responses label={`Responses of ${method} ${path}`} responses={op.responses} />
      </CardBody>
    </Card>
  );
}

/** Every problem code and its HTTP status. */
function ErrorCodesCard() {
  return (
    <Card>
      <CardHeader
        title="Error codes"
        description="The code field of every problem answer, and its HTTP status."
      />
      <CardBody>
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="text-fg-muted">
              <th scope="col" className="py-1 pr-4 font-medium">
                Code
              </th>
              <th scope="col" className="py-1 pr-4 font-medium">
                Status
              </th>
              <th scope="col" className="py-1 font-medium">
                Meaning
              </th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(ERROR_STATUS).map(([code, status]) => (
              <tr key={code} className="border-t border-border">
                <td className="py-1 pr-4 font-mono">{code}</td>
                <td className="py-1 pr-4">{status}</td>
                <td className="py-1 text-fg-muted">{ERROR_TITLE[code as keyof typeof ERROR_TITLE]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </CardBody>
    </Card>
  );
}

/** The job API described from the same OpenAPI document that /etl-mgr/api/openapi.json serves. */
export default async function ApiReferencePage() {
  await requireSession();
  const origin = publicUrl();
  const doc = openApiDocument(origin);
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, Operation>).map(([method, op]) => ({
      path,
      method: method.toUpperCase(),
      op,
    })),
  );
  const requestSchema = doc.components.schemas.ApiJobRequest as RequestSchema;

  return (
    <div className="space-y-6 wrap-anywhere">
      <PageHeader
        title="API reference"
        description={
          <>
            Programs start and follow jobs with an API key from{' '}
            <Link className="text-accent underline" href="/integrations/api-keys">
              Api Keys
            </Link>
            , sent as the <code>x-api-key</code> header (or <code>Authorization: Bearer</code>). Every error
            is <code>application/problem+json</code>.
          </>
        }
        actions={
          <a className="text-sm text-accent underline" href="/etl-mgr/api/openapi.json">
            OpenAPI 3.1 document
          </a>
        }
      />

      <Card>
        <CardHeader title="Conventions" description={doc.info.title} />
        <CardBody className="space-y-2 text-sm text-fg-muted">
          {doc.info.description.split(/\n\n/).map((paragraph) => (
            <p key={paragraph.slice(0, 40)}>{paragraph.replace(/`/g, '')}</p>
          ))}
        </CardBody>
      </Card>

      {operations.map(({ path, method, op }) => (
        <OperationCard
          key={`${method} ${path}`}
          origin={origin}
          path={path}
          method={method}
          op={op}
          requestSchema={requestSchema}
        />
      ))}

      <ErrorCodesCard />
    </div>
  );
}
