import { AppError } from '../errors';
import { parseJsonBody } from './json-body';

export const MAX_BODY_BYTES = 64 * 1024;

// application/json, with at most a charset parameter that says UTF-8 (RFC 8259 allows no other).
const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*(utf-8|"utf-8")\s*)?$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a JSON body: application/json only, uncompressed, UTF-8, cut off past the limit, then parsed
 * with the limits of json-body.ts.
 */
export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!JSON_TYPE.test(type.trim())) {
    throw new AppError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json');
  }
  const encoding = request.headers.get('content-encoding')?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    throw new AppError(
      'unsupported_media_type',
      `Content-Encoding ${encoding.slice(0, 40)} is not supported; send the body uncompressed`,
      {
        headers: { 'Accept-Encoding': 'identity' },
      },
    );
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge(limit);
      }
      chunks.push(value);
    }
  }
  let text: string;
  try {
    text = utf8.decode(Buffer.concat(chunks));
  } catch {
    throw new AppError('invalid_json', 'The body is not UTF-8');
  }
  return parseJsonBody(text);
}

function tooLarge(limit: number) {
  return new AppError('payload_too_large', `The body is larger than ${limit / 1024} KiB`);
}
