// The demo model's sample images: a list for the picker and the bytes of one file, read from the samples folder.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { samplesDir } from './settings.js';

/** One sample as the picker shows it. */
export interface Sample {
  file: string;
  url: string;
  /** Example questions recorded for it in samples.json (offered as suggestions; the answers stay on the server). */
  questions: string[];
}

const IMAGE_FILE = /^[\w.-]+\.(png|jpe?g|webp)$/i;

/** The samples in the folder, described by samples.json when it lists them; [] when there is no folder. */
export async function listSamples(dir = samplesDir()): Promise<Sample[]> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const images = files.filter((f) => IMAGE_FILE.test(f)).sort();
  const described = await readDescriptions(dir);
  return images.map((file) => ({
    file,
    url: `/samples/${file}`,
    questions: questionsOf(described.get(file)),
  }));
}

/** The question texts of a samples.json entry (`qa: [{question, answer}]`). */
function questionsOf(entry: Record<string, unknown> | undefined): string[] {
  const qa = entry?.qa ?? entry?.questions;
  if (!Array.isArray(qa)) return [];
  return qa.flatMap((q) => {
    const text = typeof q === 'string' ? q : (q as { question?: unknown } | null)?.question;
    return typeof text === 'string' ? [text] : [];
  });
}

/** samples.json entries by file name, whatever their other fields (the model toolchain owns that format). */
async function readDescriptions(dir: string): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  const raw = await readFile(join(dir, 'samples.json'), 'utf8').catch(() => null);
  if (raw === null) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return out;
  }
  const entries = Array.isArray(parsed) ? parsed : Object.values((parsed as Record<string, unknown>) ?? {});
  for (const entry of entries.flat()) {
    if (typeof entry !== 'object' || entry === null) continue;
    const record = entry as Record<string, unknown>;
    const name = [record.file, record.image, record.filename, record.path].find((v) => typeof v === 'string');
    if (typeof name === 'string') out.set(basename(name), record);
  }
  return out;
}

/** The bytes and type of one sample, or null when the name is not a sample file (never a path outside the folder). */
export async function readSample(
  file: string,
  dir = samplesDir(),
): Promise<{ bytes: Buffer; type: string } | null> {
  if (!IMAGE_FILE.test(file) || basename(file) !== file) return null;
  const bytes = await readFile(join(dir, file)).catch(() => null);
  if (bytes === null) return null;
  const ext = file.split('.').pop()?.toLowerCase();
  const type = ext === 'png' ? 'image/png' : ext === 'webp' ? 'image/webp' : 'image/jpeg';
  return { bytes, type };
}
