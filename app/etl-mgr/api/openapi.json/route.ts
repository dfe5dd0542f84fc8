import { openApiDocument } from '@/server/http/openapi';
import { publicUrl } from '@/server/config';
import { otherMethods } from '@/server/http/api-paths';

export const dynamic = 'force-dynamic';

export function GET() {
  // The server URL is PUBLIC_URL, never the request's Host.
  return Response.json(openApiDocument(publicUrl()), {
    headers: { 'cache-control': 'private, max-age=300' },
  });
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET, HEAD');
