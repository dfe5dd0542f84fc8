import { openApiDocument } from '@/server/http/openapi';
import { publicOrigin } from '@/server/http/public-origin';
import { otherMethods } from '@/server/http/api-paths';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return Response.json(openApiDocument(publicOrigin(request)), { headers: { 'cache-control': 'public, max-age=300' } });
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET, HEAD');
