// /samples: the demo model's sample images, for the picker.
import { listSamples } from '../../server/samples.js';

export const dynamic = 'force-dynamic';

/** Lists the sample images (empty when the demo model is not there). */
export async function GET(): Promise<Response> {
  return Response.json({ samples: await listSamples() });
}
