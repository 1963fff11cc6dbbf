// Real images for the pipeline tests, drawn with sharp at test time (solid colours and a simple scene).
import sharp from 'sharp';

/** A PNG of one colour. */
export async function solidPng(
  width: number,
  height: number,
  rgb: [number, number, number],
): Promise<Uint8Array> {
  const [r, g, b] = rgb;
  const png = await sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
  return new Uint8Array(png);
}

/** A JPEG with a circle and a square on a background, so vision outputs differ from a flat image. */
export async function sceneJpeg(hue: number): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="90">
    <rect width="120" height="90" fill="hsl(${hue},60%,80%)"/>
    <circle cx="35" cy="45" r="20" fill="hsl(${(hue + 120) % 360},80%,40%)"/>
    <rect x="70" y="25" width="35" height="35" fill="hsl(${(hue + 240) % 360},80%,40%)"/></svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer());
}
