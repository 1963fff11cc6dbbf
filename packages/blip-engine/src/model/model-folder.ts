// A model folder on disk → its checked manifest and the paths of the parts this family needs.
// Every problem is a MODEL_INVALID error that says which folder, which file and what is wrong.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BlipError } from '../errors.js';
import type { PartPrecision } from '../types.js';
import { type Manifest, parseManifest } from './manifest.js';
import { type PartSpec, partsOf } from './parts.js';

/** One part ready to compile. */
export interface FolderPart {
  spec: PartSpec;
  xmlPath: string;
  binPath: string;
  precision: PartPrecision;
}

/** A checked model folder. */
export interface ModelFolder {
  folder: string;
  manifest: Manifest;
  parts: FolderPart[];
}

/** Reads and checks `folder`: manifest fields, the parts its family needs, every file's presence and sha256. */
export async function readModelFolder(
  folder: string,
  options: { verifyHashes?: boolean } = {},
): Promise<ModelFolder> {
  const root = resolve(folder);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory())
    throw new BlipError('MODEL_INVALID', `model folder ${root} does not exist or is not a folder`);
  const manifest = parseManifest(await readManifestJson(root), join(root, 'manifest.json'));
  const parts = partsOf(manifest.family, Object.keys(manifest.parts)).map((spec) => {
    const files = manifest.parts[spec.name];
    if (!files) {
      throw new BlipError(
        'MODEL_INVALID',
        `${root}: family ${manifest.family} needs the part ${spec.name} (run ${spec.runs}), but the manifest has none`,
        { field: `parts.${spec.name}` },
      );
    }
    for (const file of [files.xml, files.bin]) {
      if (!(file in manifest.files)) {
        throw new BlipError(
          'MODEL_INVALID',
          `${root}: ${file} (part ${spec.name}) has no sha256 in manifest.files`,
        );
      }
    }
    return {
      spec,
      xmlPath: join(root, files.xml),
      binPath: join(root, files.bin),
      precision: files.precision,
    };
  });
  if (options.verifyHashes !== false) await verifyFiles(root, manifest.files);
  return { folder: root, manifest, parts };
}

async function readManifestJson(root: string): Promise<unknown> {
  const path = join(root, 'manifest.json');
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null)
    throw new BlipError('MODEL_INVALID', `${root} has no manifest.json: is it a model folder?`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BlipError('MODEL_INVALID', `${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Every file the manifest lists exists and has the recorded sha256 (a mismatch means a corrupt or swapped file). */
async function verifyFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, expected] of Object.entries(files)) {
    const path = join(root, file);
    const actual = await sha256File(path).catch(() => null);
    if (actual === null)
      throw new BlipError('MODEL_INVALID', `${root}: ${file} is listed in the manifest but missing`);
    if (actual !== expected) {
      throw new BlipError(
        'MODEL_INVALID',
        `${root}: ${file} is corrupt or replaced: its sha256 is ${actual}, the manifest says ${expected}`,
      );
    }
  }
}

/** sha256 hex of a file, streamed so large weights do not sit in memory twice. */
export function sha256File(path: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', fail)
      .on('end', () => done(hash.digest('hex')));
  });
}
