// The checks of a GenerationRequest that do not depend on a model's weights, shared by the real engine and
// the stand-in so both refuse the same requests with the same errors.
import { BlipError } from '../errors.js';
import type { ModelInfo } from '../types.js';
import type { GenerationRequest, ImageRef } from './engine.js';

/** The model a request names (the first when it names none); INVALID_OPTIONS on `model` when none has that id. */
export function pickModel<M extends { info: ModelInfo }>(
  models: readonly M[],
  request: { model?: string | undefined },
): M {
  const model = request.model === undefined ? models[0] : models.find((m) => m.info.id === request.model);
  if (!model) {
    const ids = models.map((m) => m.info.id).join(', ');
    throw new BlipError('INVALID_OPTIONS', `model "${request.model}" is not loaded; loaded: ${ids}`, {
      field: 'model',
    });
  }
  return model;
}

/** The task is known and the model can do it; the image reference carries a content key. */
export function checkRequestShape(request: GenerationRequest, info: ModelInfo): void {
  if (request.task !== 'caption' && request.task !== 'answer')
    throw new BlipError('UNSUPPORTED_TASK', `unknown task ${JSON.stringify(request.task)}`, {
      field: 'task',
    });
  if (!info.capabilities.includes(request.task)) {
    throw new BlipError(
      'UNSUPPORTED_TASK',
      `${info.id} is a ${info.family} model; it cannot ${request.task === 'answer' ? 'answer questions' : 'caption'}`,
      { field: 'model' },
    );
  }
  checkImageRef(request.image);
  if (request.task === 'caption' && request.question !== undefined)
    throw new BlipError('INVALID_QUESTION', 'a caption takes no question', { field: 'question' });
  if (request.task === 'answer' && request.prompt !== undefined)
    throw new BlipError('INVALID_OPTIONS', 'a caption prompt cannot be given with a question', {
      field: 'prompt',
    });
}

/** The image reference carries the content key addImage returned. */
export function checkImageRef(image: ImageRef | undefined): void {
  if (typeof image?.key !== 'string' || !/^[0-9a-f]{64}$/.test(image.key)) {
    throw new BlipError(
      'INVALID_IMAGE',
      'the image reference must carry the sha256 hex key addImage returned',
      {
        field: 'image',
      },
    );
  }
}

/** An image-text call (embed or match) names a model that has the image-text parts and a string text. */
export function checkImageTextRequest(
  info: ModelInfo,
  task: 'embed' | 'match',
  request: { image?: ImageRef | undefined; text?: unknown },
): void {
  if (!info.capabilities.includes(task)) {
    throw new BlipError('UNSUPPORTED_TASK', `${info.id} has no image-text parts: it cannot ${task}`, {
      field: 'model',
    });
  }
  if ('image' in request) checkImageRef(request.image);
  if ('text' in request && typeof request.text !== 'string')
    throw new BlipError('INVALID_QUESTION', 'the text must be a string', { field: 'text' });
}

/** reserve(count) within the per-call limit, else TOO_MANY_GENERATIONS. */
export function checkReserveCount(count: number, maxGenerationsPerCall: number): void {
  if (!Number.isInteger(count) || count < 1)
    throw new BlipError('RUNTIME', `reserve() needs an integer count >= 1, got ${count}`);
  if (count > maxGenerationsPerCall) {
    throw new BlipError(
      'TOO_MANY_GENERATIONS',
      `one call may start at most ${maxGenerationsPerCall} generation(s); this one asks for ${count}`,
    );
  }
}
