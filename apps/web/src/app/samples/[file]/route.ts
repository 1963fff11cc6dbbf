// /samples/<file>: one sample image's bytes.
import { readSample } from '../../../server/samples.js';

export const dynamic = 'force-dynamic';

/** Serves one sample image, 404 for anything else. */
export async function GET(_request: Request, ctx: { params: Promise<{ file: string }> }): Promise<Response> {
  const { file } = await ctx.params;
  const sample = await readSample(file);
  if (!sample) return Response.json({ error: `no sample named ${file}` }, { status: 404 });
  return new Response(new Uint8Array(sample.bytes), {
    headers: { 'content-type': sample.type, 'cache-control': 'public, max-age=3600' },
  });
}
