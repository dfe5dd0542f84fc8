import { MAX_JSON_DEPTH, MAX_JSON_NAME, MAX_JSON_STRING } from './json-body';
import { MAX_BODY_BYTES } from './read-json';
import { paths } from './openapi-paths';
import { schemas } from './openapi-schemas';
import { webhooks } from './openapi-webhooks';

// The OpenAPI 3.1 description of /etl-mgr/api, built from the same zod schemas the handlers parse with.
// `npm run lint:api` holds it to Redocly's recommended-strict rules; the fuzz test (e2e/api-fuzz.spec.ts)
// holds the running API to it.

const DESCRIPTION = `Start, stop and follow the organisation’s jobs with an API key made under Integrations > Api Keys,
sent as \`x-api-key\` or \`Authorization: Bearer\` (both at once only when they carry the same key).
Every error is \`application/problem+json\` (RFC 9457) with a stable \`code\`; every 401 carries \`WWW-Authenticate\`.

Bodies are \`application/json\` (UTF-8, uncompressed, at most ${MAX_BODY_BYTES / 1024} KiB, each member once, at most
${MAX_JSON_DEPTH} levels deep, strings at most ${MAX_JSON_STRING} characters and names ${MAX_JSON_NAME}, without U+0000 or unpaired
surrogates): other media types or a \`Content-Encoding\` answer 415, duplicate names 400, the rest 422 with the paths.

Other paths under /etl-mgr/api answer 404 \`not_found\`; other methods 405 \`method_not_allowed\` with \`Allow\`;
\`OPTIONS\` answers 204 with \`Allow\`. GET endpoints answer HEAD too. A query parameter given twice is refused (422).`;

export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'ETL manager job API',
      version: '1.0.0',
      description: DESCRIPTION,
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: serverUrl, description: 'This installation' }],
    security: [{ apiKey: [] }, { bearer: [] }],
    tags: [
      { name: 'jobs', description: 'Start, stop and ask about jobs' },
      { name: 'runs', description: 'Follow and cancel runs' },
    ],
    components: {
      securitySchemes: {
        apiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description: 'An API key (a JWT) from Integrations > Api Keys',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The same key as a Bearer token',
        },
      },
      schemas,
    },
    paths,
    webhooks,
  };
}
