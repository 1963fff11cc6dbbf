// Enumerations shared by several schema modules. Internal values are what the engine and the database use.
import { type ApiErrorCode, ERROR_CODES } from '../errors.js';
import { builder } from './builder.js';

export const StrategyEnum = builder.enumType('Strategy', {
  description: 'How the next token is chosen.',
  values: {
    GREEDY: { value: 'greedy', description: 'The most likely token each step (Hugging Face default).' },
    BEAM: {
      value: 'beam',
      description: 'Beam search over numBeams hypotheses; alternatives are the n best.',
    },
    SAMPLE: {
      value: 'sample',
      description: 'Random sampling shaped by temperature, topK and topP; repeatable with seed.',
    },
  } as const,
});

export const PrecisionEnum = builder.enumType('Precision', {
  description: 'Weight precision of a model (INT8 when any part is quantized).',
  values: ['FP32', 'FP16', 'INT8'] as const,
});

export const ModelFamilyEnum = builder.enumType('ModelFamily', {
  description: 'What a model can do: BLIP_VQA answers and captions, BLIP_CAPTION only captions.',
  values: {
    BLIP_VQA: { value: 'blip-vqa' },
    BLIP_CAPTION: { value: 'blip-caption' },
  } as const,
});

export const TurnKindEnum = builder.enumType('TurnKind', {
  description: 'Whether a turn captions the image or answers a question about it.',
  values: ['CAPTION', 'QUESTION'] as const,
});

export const TurnStatusEnum = builder.enumType('TurnStatus', {
  description: 'Where a turn is: written PENDING when asked, then exactly one of the others.',
  values: {
    PENDING: { description: 'Asked, generation not finished.' },
    COMPLETED: { description: 'The answer is complete.' },
    CANCELLED: { description: 'The caller left or cancelled; `answer` holds what had been generated.' },
    INTERRUPTED: { description: 'The server stopped (crash or restart) before the turn ended.' },
    FAILED: { description: 'Generation failed; see `error`.' },
  } as const,
});

export const FinishReasonEnum = builder.enumType('FinishReason', {
  description: 'Why generation stopped.',
  values: {
    EOS: { value: 'eos', description: 'The model chose the end token.' },
    LENGTH: { value: 'length', description: 'maxNewTokens was reached.' },
    CANCELLED: { value: 'cancelled', description: 'Stopped by the caller.' },
  } as const,
});

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description:
    'Every value of `extensions.code` the server sends, with its HTTP status (200: the error is in the body and other fields may have data). Errors about one argument or option also carry `extensions.field`.',
  values: Object.fromEntries(
    Object.entries(ERROR_CODES).map(([code, { status, doc }]) => [
      code,
      { description: `HTTP ${status}. ${doc}` },
    ]),
  ) as Record<ApiErrorCode, { description: string }>,
});

export const ImageSourceEnum = builder.enumType('ImageSource', {
  description: 'Where the image embedding of a turn came from.',
  values: {
    CACHE: { value: 'cache', description: 'Reused: the vision encoder did not run.' },
    ENCODER: { value: 'encoder', description: 'The image was read and the vision encoder ran.' },
  } as const,
});
