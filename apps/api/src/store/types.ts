// What the API stores: plain records, camelCase, JSON columns already parsed.
import type { Candidate, GenerationOptions, Timings } from '@blip/engine';

/** Timings as stored: the engine's, except that firstTokenMs is null when no token came (a turn stopped early). */
export type StoredTimings = Omit<Timings, 'firstTokenMs'> & { firstTokenMs: number | null };

export type TurnKind = 'CAPTION' | 'QUESTION';
export type TurnStatus = 'PENDING' | 'COMPLETED' | 'CANCELLED' | 'INTERRUPTED' | 'FAILED';
export type Precision = 'FP32' | 'FP16' | 'INT8';

/** Generation options as the API takes them: the engine's, plus which loaded model and precision to run. */
export interface GenerationSettings extends GenerationOptions {
  model?: string;
  precision?: Precision;
}

/** One uploaded image of one owner; the bytes live in the content-addressed store under `sha256`. */
export interface ImageRecord {
  id: string;
  owner: string;
  sha256: string;
  format: string;
  mime: string;
  width: number;
  height: number;
  byteSize: number;
  filename: string | null;
  createdAt: string;
}

/** An image and the turns asked about it. */
export interface ConversationRecord {
  id: string;
  owner: string;
  imageId: string;
  title: string | null;
  /** Defaults for every turn of this conversation; a call's own options override them field by field. */
  settings: GenerationSettings;
  createdAt: string;
  updatedAt: string;
}

/** One caption or question and its answer, as far as it got. */
export interface TurnRecord {
  id: string;
  conversationId: string;
  /** 0-based position in its conversation. */
  seq: number;
  kind: TurnKind;
  question: string | null;
  /** The answer text; for CANCELLED turns, what had been streamed. */
  answer: string | null;
  tokenIds: number[];
  alternatives: Candidate[];
  model: string;
  precision: Precision;
  /** The options this turn ran with (conversation settings merged with the call's). */
  options: GenerationSettings;
  timings: StoredTimings | null;
  /** 0..1 from the chosen tokens' probabilities; null until the turn completes (or when the engine gave none). */
  confidence: number | null;
  /** The turn (same conversation) this one is a new version of (regenerate, edit); null for an original. */
  replaces: string | null;
  /** The replica that runs (or ran) the turn; while PENDING it holds the turn until `leaseUntil`. */
  leaseOwner: string | null;
  leaseUntil: string | null;
  status: TurnStatus;
  finishReason: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: string;
  completedAt: string | null;
}
