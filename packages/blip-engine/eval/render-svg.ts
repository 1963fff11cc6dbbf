// The INDEPENDENT renderer of the shapes world, used only for evaluation: scene specs from the Python generator
// (what is where) drawn as SVG and rasterised by sharp (librsvg), with its own colours (CSS names and common
// hex shades), its own shape geometry, strokes, backgrounds, JPEG and blur. Nothing here is shared with the
// Pillow renderer that made the training images (models/shapes/draw.py).

import sharp from 'sharp';

/** One object of a scene spec: centre (x, y) and radius in normalised units (radius of the shorter side). */
export interface SpecObject {
  shape: 'circle' | 'square' | 'triangle';
  colour: 'red' | 'green' | 'blue' | 'yellow' | 'purple';
  x: number;
  y: number;
  radius: number;
}

/** What the Python generator writes for the renderer (models/shapes/heldout.py `spec_of`). */
export interface SceneSpec {
  width: number;
  height: number;
  background: 'any' | 'white' | 'dark';
  style_seed: number;
  objects: SpecObject[];
}

/** Shades a person would call by each name (CSS keywords and Material-style hex values). */
export const PALETTE: Record<SpecObject['colour'], string[]> = {
  red: ['red', 'crimson', 'firebrick', '#d32f2f', '#e53935'],
  green: ['green', 'forestgreen', 'limegreen', '#2e7d32', '#43a047'],
  blue: ['blue', 'royalblue', 'mediumblue', '#1e88e5', '#1565c0'],
  yellow: ['yellow', 'gold', '#fdd835', '#ffeb3b', '#ffd600'],
  purple: ['purple', 'darkviolet', 'rebeccapurple', '#8e24aa', 'darkorchid'],
};
const WHITES = ['#ffffff', '#fafafa', '#f5f5f5', 'ivory', 'snow'];
const DARKS = ['#000000', '#111111', '#1e1e1e', '#202124', '#0d1117'];
const PASTELS = ['lavender', 'honeydew', 'mistyrose', 'aliceblue', 'lightgrey', 'beige', 'linen', '#e0e0e0'];

/** mulberry32: a small seeded generator, so a spec always renders to the same picture. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, items: T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

/** The background element: plain white/dark, or for 'any' a pastel, a grey or a light two-stop gradient. */
function backgroundSvg(spec: SceneSpec, rand: () => number): string {
  const rect = (fill: string) => `<rect width="100%" height="100%" fill="${fill}"/>`;
  if (spec.background === 'white') return rect(pick(rand, WHITES));
  if (spec.background === 'dark') return rect(pick(rand, DARKS));
  const r = rand();
  if (r < 0.3) return rect(pick(rand, WHITES));
  if (r < 0.5) return rect(pick(rand, DARKS));
  if (r < 0.75) return rect(pick(rand, PASTELS));
  const [a, b] = [pick(rand, PASTELS), pick(rand, WHITES)];
  const gradient = `<linearGradient id="bg" x1="0" y1="0" x2="${rand().toFixed(2)}" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient>`;
  return `<defs>${gradient}</defs>${rect('url(#bg)')}`;
}

/** Polygon points of a regular triangle of circumradius r pointing up, right, down or left. */
function trianglePoints(cx: number, cy: number, r: number, turn: number): string {
  const points: string[] = [];
  for (let k = 0; k < 3; k++) {
    const angle = -Math.PI / 2 + (turn * Math.PI) / 2 + (k * 2 * Math.PI) / 3;
    points.push(`${(cx + r * Math.cos(angle)).toFixed(2)},${(cy + r * Math.sin(angle)).toFixed(2)}`);
  }
  return points.join(' ');
}

/** One object as an SVG element: its shade, fill style (filled, stroked, outline only) and shape variant. */
function objectSvg(o: SpecObject, spec: SceneSpec, rand: () => number, dark: boolean): string {
  const r = o.radius * Math.min(spec.width, spec.height) * (0.85 + 0.15 * rand());
  const [cx, cy] = [o.x * spec.width, o.y * spec.height];
  const colour = pick(rand, PALETTE[o.colour]);
  const style = rand();
  const strokeWidth = Math.max(1.5, r * 0.18).toFixed(2);
  const paint =
    style < 0.65
      ? `fill="${colour}"`
      : style < 0.85
        ? `fill="${colour}" stroke="${dark ? '#eeeeee' : '#222222'}" stroke-width="${strokeWidth}"`
        : `fill="none" stroke="${colour}" stroke-width="${Math.max(2, r * 0.25).toFixed(2)}"`;
  const crisp = rand() < 0.3 ? ' shape-rendering="crispEdges"' : '';
  if (o.shape === 'circle') return `<circle cx="${cx}" cy="${cy}" r="${r.toFixed(2)}" ${paint}${crisp}/>`;
  if (o.shape === 'triangle') {
    const turn = rand() < 0.6 ? 0 : Math.floor(rand() * 4);
    return `<polygon points="${trianglePoints(cx, cy, r, turn)}" ${paint}${crisp}/>`;
  }
  const wide = rand() < 0.3 ? 1.35 : 1; // a rectangle now and then, either way round
  const [hw, hh] = rand() < 0.5 ? [0.72 * r * wide, (0.72 * r) / wide] : [(0.72 * r) / wide, 0.72 * r * wide];
  const tilt = rand() < 0.2 ? (rand() * 40 - 20).toFixed(1) : '0';
  const corner = rand() < 0.3 ? ` rx="${(0.15 * hh).toFixed(2)}"` : '';
  return `<rect x="${(cx - hw).toFixed(2)}" y="${(cy - hh).toFixed(2)}" width="${(2 * hw).toFixed(2)}" height="${(2 * hh).toFixed(2)}"${corner} transform="rotate(${tilt} ${cx} ${cy})" ${paint}${crisp}/>`;
}

/** The scene as an SVG document (deterministic for a spec). */
export function sceneSvg(spec: SceneSpec): string {
  const rand = seeded(spec.style_seed);
  const background = backgroundSvg(spec, rand);
  const dark = DARKS.some((d) => background.includes(`"${d}"`));
  const objects = spec.objects.map((o) => objectSvg(o, spec, rand, dark)).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${spec.width}" height="${spec.height}">${background}${objects}</svg>`;
}

/** A rendered scene: encoded bytes and the file extension that says how. */
export interface Rendered {
  bytes: Buffer;
  ext: 'png' | 'jpg';
}

/** Rasterises the scene with sharp; a third of the scenes are blurred a little, a third saved as JPEG. */
export async function renderScene(spec: SceneSpec): Promise<Rendered> {
  const rand = seeded(spec.style_seed ^ 0x5bd1e995);
  let image = sharp(Buffer.from(sceneSvg(spec))).flatten({ background: '#ffffff' });
  if (rand() < 0.33) image = image.blur(0.3 + rand() * 0.5 * (Math.min(spec.width, spec.height) / 96));
  if (rand() < 0.33) {
    return { bytes: await image.jpeg({ quality: 40 + Math.floor(rand() * 50) }).toBuffer(), ext: 'jpg' };
  }
  return { bytes: await image.png().toBuffer(), ext: 'png' };
}
