// Photo-sized benchmark images drawn with sharp: a gradient sky, ground and a few shapes, different per seed.
import sharp from 'sharp';

/** A 640×480 JPEG scene; `seed` moves and recolours the shapes so every image has its own content key. */
export async function benchImage(seed: number): Promise<Uint8Array> {
  const hue = (seed * 47) % 360;
  const x = 100 + ((seed * 83) % 400);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="hsl(${hue},70%,75%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360},60%,90%)"/>
    </linearGradient></defs>
    <rect width="640" height="480" fill="url(#sky)"/>
    <rect y="330" width="640" height="150" fill="hsl(${(hue + 100) % 360},45%,35%)"/>
    <circle cx="${x}" cy="250" r="60" fill="hsl(${(hue + 180) % 360},80%,45%)"/>
    <rect x="${(x + 220) % 560}" y="200" width="90" height="110" fill="hsl(${(hue + 260) % 360},70%,40%)"/></svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).jpeg({ quality: 88 }).toBuffer());
}
