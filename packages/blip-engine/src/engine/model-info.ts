// What a loaded model is and can do, for the API's model list and reports: built from the manifest, the
// parts table and the compiled parts.
import { maxNewTokensFor } from '../generate/options.js';
import type { Manifest } from '../model/manifest.js';
import { capabilitiesOf } from '../model/parts.js';
import type { ModelCard, ModelInfo, PartPrecision } from '../types.js';
import type { EngineContext } from './generation.js';

export type BlipInfo = ModelInfo;

/** ModelInfo of a loaded model; `id` defaults to the manifest name. */
export function describeModel(ctx: EngineContext, id: string | undefined): ModelInfo {
  const { manifest } = ctx;
  return {
    id: id ?? manifest.name,
    name: manifest.name,
    family: manifest.family,
    folder: ctx.folder,
    source: manifest.source,
    precision: Object.fromEntries(
      Object.entries(manifest.parts).map(([part, files]) => [part, files?.precision]),
    ) as Record<string, PartPrecision>,
    imageSize: manifest.image.size,
    captionPrompt: manifest.caption_prompt,
    capabilities: capabilitiesOf(manifest.family, Object.keys(manifest.parts)),
    maxNewTokens: maxNewTokensFor({ promptLength: 1, maxPositions: manifest.decoder.max_positions }),
    inferencePrecision: ctx.parts.decoder.compiled.getProperty('INFERENCE_PRECISION_HINT'),
    card: cardOf(manifest),
    confidenceThreshold: manifest.confidence_threshold ?? null,
  };
}

function cardOf(manifest: Manifest): ModelCard | null {
  const card = manifest.card;
  if (!card) return null;
  return {
    summary: card.summary,
    questionTypes: card.question_types.map((t) => ({ name: t.name, examples: [...t.examples] })),
    outsideAnswer: card.outside_answer,
  };
}
