// Result shapes of the operations in operations.ts, as the API returns them.
import type { Alternative, TurnTimings } from './turns.js';

export type Precision = 'FP32' | 'FP16' | 'INT8';
export type Strategy = 'GREEDY' | 'BEAM' | 'SAMPLE';

/** Generation settings as the API stores them: only the fields that were set. */
export interface Settings {
  strategy?: Strategy | null;
  numBeams?: number | null;
  numReturnSequences?: number | null;
  lengthPenalty?: number | null;
  temperature?: number | null;
  topK?: number | null;
  topP?: number | null;
  seed?: number | null;
  repetitionPenalty?: number | null;
  minNewTokens?: number | null;
  maxNewTokens?: number | null;
  model?: string | null;
  precision?: Precision | null;
}

export interface ModelInfo {
  name: string;
  baseName: string;
  precision: Precision;
  isDefault: boolean;
  family: 'BLIP_VQA' | 'BLIP_CAPTION';
}

export interface Limits {
  maxUploadBytes: number;
  maxQuestionChars: number;
  acceptedMimeTypes: string[];
}

export interface ImageInfo {
  id: string;
  url: string;
  width?: number;
  height?: number;
  filename?: string | null;
}

export interface ApiTurn {
  id: string;
  index: number;
  kind: 'CAPTION' | 'QUESTION';
  question: string | null;
  answer: string | null;
  status: 'PENDING' | 'COMPLETED' | 'CANCELLED' | 'INTERRUPTED' | 'FAILED';
  finishReason: 'EOS' | 'LENGTH' | 'CANCELLED' | null;
  alternatives: Alternative[];
  timings: TurnTimings | null;
  tokenIds: number[];
  error: { code: string; message: string } | null;
}

export interface ConversationSummary {
  id: string;
  title: string | null;
  updatedAt: string;
  image: ImageInfo;
  turns: { index: number; kind: string; answer: string | null }[];
}

export interface ConversationFull {
  id: string;
  title: string | null;
  updatedAt: string;
  image: ImageInfo;
  settings: Settings;
  turns: ApiTurn[];
}

/** One event of captionStream / answerStream. */
export type StreamEvent =
  | {
      __typename: 'StreamStarted';
      conversation: Omit<ConversationSummary, 'turns'>;
      turn: { id: string; index: number };
    }
  | { __typename: 'StreamToken'; index: number; delta: string }
  | { __typename: 'StreamCompleted'; turn: ApiTurn };
