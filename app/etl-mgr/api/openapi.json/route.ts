import { openApiDocument } from '@/server/http/openapi';
import { publicUrl } from '@/server/config';
import { otherMethods } from '@/server/http/api-paths';
import { newRequestId } from '@/server/http/problem';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  // The server URL is PUBLIC_URL, never the request's Host.
  return Response.json(openApiDocument(publicUrl()), {
    headers: {
      'cache-control': 'private, max-age=300',
      'x-request-id': request.headers.get('x-request-id')?.slice(0, 100) || newRequestId(),
    },
  });
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET, HEAD');
