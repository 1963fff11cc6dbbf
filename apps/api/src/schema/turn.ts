// Turns: one caption or question and its answer as far as it got, with a typed error when it did not end well.
import { type ApiErrorCode, ERROR_CODES } from '../errors.js';
import type { TurnRecord } from '../store/types.js';
import { builder } from './builder.js';
import { ErrorCodeEnum, FinishReasonEnum, PrecisionEnum, TurnKindEnum, TurnStatusEnum } from './enums.js';
import { AlternativeRef, GenerationSettingsRef, TimingsRef } from './options.js';

const TurnErrorRef = builder.objectRef<{ code: ApiErrorCode; message: string }>('TurnError').implement({
  description: 'Why a turn FAILED or was INTERRUPTED.',
  fields: (t) => ({
    code: t.expose('code', {
      type: ErrorCodeEnum,
      description:
        'SHUTTING_DOWN for INTERRUPTED turns; the failure’s code (INTERNAL_SERVER_ERROR if unknown) for FAILED ones.',
    }),
    message: t.exposeString('message'),
  }),
});

/** The stored error of an ended turn as the enum knows it: interrupted turns were stopped by a shutdown. */
function turnError(turn: TurnRecord): { code: ApiErrorCode; message: string } | null {
  if (turn.status === 'INTERRUPTED')
    return {
      code: 'SHUTTING_DOWN',
      message: turn.errorMessage ?? 'the server stopped before this turn ended',
    };
  if (turn.status !== 'FAILED') return null;
  const code =
    turn.errorCode && turn.errorCode in ERROR_CODES
      ? (turn.errorCode as ApiErrorCode)
      : 'INTERNAL_SERVER_ERROR';
  return { code, message: turn.errorMessage ?? '' };
}

export const TurnRef = builder.objectRef<TurnRecord>('Turn').implement({
  description: 'One caption or question about the conversation image, and its answer as far as it got.',
  fields: (t) => ({
    id: t.exposeID('id'),
    conversationId: t.exposeID('conversationId'),
    index: t.exposeInt('seq', { description: '0-based position in the conversation.' }),
    kind: t.expose('kind', { type: TurnKindEnum }),
    question: t.exposeString('question', { nullable: true, description: 'null for captions.' }),
    answer: t.exposeString('answer', {
      nullable: true,
      description:
        'The answer (best alternative); for CANCELLED turns what had been generated; null while PENDING.',
    }),
    tokenIds: t.exposeIntList('tokenIds'),
    alternatives: t.field({ type: [AlternativeRef], resolve: (turn) => turn.alternatives }),
    model: t.exposeString('model'),
    precision: t.expose('precision', { type: PrecisionEnum }),
    options: t.field({ type: GenerationSettingsRef, resolve: (turn) => turn.options }),
    timings: t.field({ type: TimingsRef, nullable: true, resolve: (turn) => turn.timings }),
    status: t.expose('status', { type: TurnStatusEnum }),
    finishReason: t.field({
      type: FinishReasonEnum,
      nullable: true,
      resolve: (turn) => turn.finishReason as 'eos' | 'length' | 'cancelled' | null,
    }),
    replaces: t.exposeID('replaces', {
      nullable: true,
      description:
        'The turn this one is a new version of (regenerated or edited); null for an original. Clients group versions by it.',
    }),
    confidence: t.exposeFloat('confidence', {
      nullable: true,
      description: 'How sure the model was, 0..1; null unless COMPLETED (or when the engine gave none).',
    }),
    error: t.field({ type: TurnErrorRef, nullable: true, resolve: turnError }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
  }),
});
