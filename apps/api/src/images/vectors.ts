// Image feature vectors computed at upload (issue 20), so a search finds them stored instead of running the
// vision encoder for every image it has not seen. The upload computes its image's vector after the row and the
// bytes are stored, in the same request, and only when the engine has a free slot at that moment:
// - the caption a client asks for next needs the same vision-encoder run (the engine caches the embeddings by
//   content), so on an idle server the work moves from the caption to the upload rather than adding to it;
// - it never waits in line: under load people's answers come first and the upload answers at once (the first
//   search computes the vector it skipped, as it does for images stored before this existed);
// - nothing is left running after the answer (no in-memory backlog to lose at a restart, nothing in the engine's
//   line that a client's next request would queue behind), and a bulk import is paced by its own uploads.
// A failure here never fails the upload: the image is stored; the search computes what is missing.
import type { Engine, EngineLogger, ModelInfo } from '@blip/engine';
import { isBlipError } from '../errors.js';
import type { Metrics } from '../ops/metrics.js';
import type { ImageBytes } from '../store/image-bytes.js';
import type { ImageFeatureRepo } from '../store/image-features.js';
import type { ImageRecord } from '../store/types.js';

/** What became of an upload's vector. */
export type UploadVectorOutcome = 'stored' | 'off' | 'no-model' | 'busy' | 'failed';

/** The model a search uses when it names none: the first loaded model with image-text parts. */
export function defaultSearchModel(engine: Engine): ModelInfo | undefined {
  return engine.models().find((m) => m.capabilities.includes('embed') && m.capabilities.includes('match'));
}

/** Computes and stores the feature vector of a freshly stored upload (SEARCH_VECTORS_AT_UPLOAD). */
export class UploadVectors {
  constructor(
    private readonly engine: Engine,
    private readonly features: ImageFeatureRepo,
    private readonly bytes: ImageBytes,
    private readonly metrics: Metrics,
    private readonly enabled: boolean,
  ) {}

  /** The vector of the default search model for a stored image, when a slot is free now; never throws. */
  async afterUpload(image: ImageRecord, logger?: EngineLogger): Promise<UploadVectorOutcome> {
    if (!this.enabled) return 'off';
    const model = defaultSearchModel(this.engine);
    if (!model) return 'no-model';
    const outcome = this.slotFree() ? await this.store(image, model.id, logger) : 'busy';
    this.metrics.uploadVectors.inc({ outcome });
    return outcome;
  }

  private async store(
    image: ImageRecord,
    model: string,
    logger?: EngineLogger,
  ): Promise<'stored' | 'failed'> {
    const start = performance.now();
    try {
      const ref = { key: image.sha256, load: () => this.bytes.read(image.sha256) };
      const { space, vector } = await this.engine.embedImage({ model, image: ref }, { logger });
      this.metrics.stage.observe({ model, stage: 'upload_vector' }, (performance.now() - start) / 1000);
      await this.features.put(image.id, space, vector); // nothing when the image was deleted meanwhile
      return 'stored';
    } catch (error) {
      const code = isBlipError(error) ? error.code : undefined;
      const reason = error instanceof Error ? error.message : String(error);
      logger?.warn(
        { event: 'image_vector_failed', imageId: image.id, code, reason },
        'vector left to the search',
      );
      return 'failed';
    }
  }

  /** True when an engine call would start at once: checked and started in one synchronous step, so no
   * other call of this process can take the slot in between. */
  private slotFree(): boolean {
    const { running, waiting } = this.engine.queueDepth();
    return waiting === 0 && running < this.engine.limits().admission.concurrency;
  }
}
