import { notFound } from '@/server/http/api-paths';

// Any other path under /etl-mgr/api: a problem+json 404, never the console's HTML page.
const handler = async (request: Request) => notFound(request.headers.get('x-request-id')?.slice(0, 100));

export const dynamic = 'force-dynamic';
export {
  handler as GET,
  handler as HEAD,
  handler as POST,
  handler as PUT,
  handler as PATCH,
  handler as DELETE,
  handler as OPTIONS,
};
