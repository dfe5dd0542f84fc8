import { openApiDocument } from '@/server/http/openapi';
import { publicOrigin } from '@/server/http/public-origin';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return Response.json(openApiDocument(publicOrigin(request)), { headers: { 'cache-control': 'public, max-age=300' } });
}
