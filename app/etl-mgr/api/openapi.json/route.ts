import { openApiDocument } from '@/server/http/openapi';
import { publicOrigin } from '@/server/http/public-origin';
import { otherMethods } from '@/server/http/api-paths';
import { newRequestId } from '@/server/http/problem';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return Response.json(openApiDocument(publicOrigin(request.headers)), {
    // The server URL can follow the request's Host: never shared between callers by a cache.
    headers: {
      'cache-control': 'private, max-age=300',
      vary: 'Host, X-Forwarded-Host, X-Forwarded-Proto',
      'x-request-id': request.headers.get('x-request-id')?.slice(0, 100) || newRequestId(),
    },
  });
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET, HEAD');
