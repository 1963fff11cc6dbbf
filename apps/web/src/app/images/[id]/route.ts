// /images/<id> on the web origin: the API serves the bytes to the image's owner (owner key sent as a cookie).
import { proxy } from '../../../server/proxy.js';
import { apiOrigin } from '../../../server/settings.js';

export const dynamic = 'force-dynamic';

/** Forwards an image request to the API. */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  return proxy(request, `${apiOrigin()}/images/${encodeURIComponent(id)}`);
}
