import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { Blip } from '../engine/blip.js';
import { BlipError } from '../errors.js';
import { PARTS } from '../model/parts.js';
import type { Port } from '../openvino/index.js';
import { checkPorts } from './check-ports.js';

const TINY_VQA = resolve(import.meta.dirname, '../../../../models/tiny-vqa');

const port = (name: string, index = 0): Port => ({
  index,
  anyName: name,
  names: [name],
  elementType: 'f32',
  partialShape: { rankDynamic: false, dims: [], text: '[]' } as unknown as Port['partialShape'],
});

const refused = (pattern: RegExp) => (error: unknown) =>
  error instanceof BlipError && error.code === 'MODEL_INVALID' && pattern.test(error.message);

test('the cross K/V graph must give every layer its cross_key/cross_value, and take nothing unknown', () => {
  const graph = {
    inputs: [port('encoder_hidden_states')],
    outputs: ['cross_key.0', 'cross_value.0', 'cross_key.1', 'cross_value.1'].map((n, i) => port(n, i)),
  };
  checkPorts(PARTS.text_decoder_cross_kv, graph, 2, 'f');
  assert.throws(
    () => checkPorts(PARTS.text_decoder_cross_kv, graph, 3, 'f'),
    refused(/part text_decoder_cross_kv has no output port 'cross_key\.2'/),
  );
  const extra = { ...graph, inputs: [...graph.inputs, port('position_ids', 1)] };
  assert.throws(
    () => checkPorts(PARTS.text_decoder_cross_kv, extra, 2, 'f'),
    refused(/input port 'position_ids' that the engine does not feed/),
  );
});

test('loading a folder whose text encoder graph is really the vision graph names the part and the port', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'blip-ports-'));
  try {
    await cp(TINY_VQA, dir, { recursive: true });
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    for (const ext of ['xml', 'bin']) {
      const bytes = await readFile(join(dir, `vision_model.${ext}`));
      await writeFile(join(dir, `text_encoder.${ext}`), bytes);
      manifest.files[`text_encoder.${ext}`] = createHash('sha256').update(bytes).digest('hex');
    }
    await writeFile(manifestPath, JSON.stringify(manifest));
    await assert.rejects(Blip.load(dir), refused(/part text_encoder has no input port 'input_ids'/));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
