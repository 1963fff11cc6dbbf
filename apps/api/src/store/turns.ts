// Turn rows: written PENDING when asked, finished once when generation ends, so a crash leaves a trace.
import type { Candidate, Timings } from '@blip/engine';
import { newId, nowIso } from '../ids.js';
import type { Db } from './db.js';
import type { GenerationSettings, Precision, TurnKind, TurnRecord, TurnStatus } from './types.js';

interface TurnRow {
  id: string;
  conversation_id: string;
  seq: number;
  kind: string;
  question: string | null;
  answer: string | null;
  token_ids: string | null;
  alternatives: string | null;
  model: string;
  precision: string;
  options: string;
  timings: string | null;
  confidence: number | null;
  status: string;
  finish_reason: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  completed_at: string | null;
}

function fromRow(r: TurnRow): TurnRecord {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    seq: r.seq,
    kind: r.kind as TurnKind,
    question: r.question,
    answer: r.answer,
    tokenIds: r.token_ids ? (JSON.parse(r.token_ids) as number[]) : [],
    alternatives: r.alternatives ? (JSON.parse(r.alternatives) as Candidate[]) : [],
    model: r.model,
    precision: r.precision as Precision,
    options: JSON.parse(r.options) as GenerationSettings,
    timings: r.timings ? (JSON.parse(r.timings) as Timings) : null,
    confidence: r.confidence,
    status: r.status as TurnStatus,
    finishReason: r.finish_reason,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    createdAt: r.created_at,
    completedAt: r.completed_at,
  };
}

/** What a new turn is about. */
export interface NewTurn {
  conversationId: string;
  kind: TurnKind;
  question: string | null;
  model: string;
  precision: Precision;
  options: GenerationSettings;
}

/** How a turn ended. */
export interface TurnOutcome {
  status: Exclude<TurnStatus, 'PENDING'>;
  answer: string | null;
  tokenIds?: number[];
  alternatives?: Candidate[];
  timings?: Timings | null;
  confidence?: number | null;
  finishReason?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
}

/** Turn records; ownership is checked through the conversation before any of these is called. */
export class TurnRepo {
  constructor(private readonly db: Db) {}

  /** Writes a PENDING turn at the end of its conversation. */
  create(turn: NewTurn): TurnRecord {
    const insert = this.db.transaction((): TurnRecord => {
      const next = this.db
        .prepare<[string], { n: number }>(
          'SELECT COALESCE(MAX(seq) + 1, 0) AS n FROM turns WHERE conversation_id = ?',
        )
        .get(turn.conversationId);
      const record: TurnRecord = {
        ...turn,
        id: newId(),
        seq: next?.n ?? 0,
        answer: null,
        tokenIds: [],
        alternatives: [],
        timings: null,
        confidence: null,
        status: 'PENDING',
        finishReason: null,
        errorCode: null,
        errorMessage: null,
        createdAt: nowIso(),
        completedAt: null,
      };
      this.db
        .prepare(
          `INSERT INTO turns (id, conversation_id, seq, kind, question, model, precision, options, status, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?)`,
        )
        .run(
          record.id,
          turn.conversationId,
          record.seq,
          turn.kind,
          turn.question,
          turn.model,
          turn.precision,
          JSON.stringify(turn.options),
          record.createdAt,
        );
      this.db
        .prepare('UPDATE conversations SET updated_at = ? WHERE id = ?')
        .run(record.createdAt, turn.conversationId);
      return record;
    });
    return insert();
  }

  /** Records how a PENDING turn ended; a turn that already ended is left alone. */
  finish(id: string, outcome: TurnOutcome): void {
    this.db
      .prepare(
        `UPDATE turns SET status = ?, answer = ?, token_ids = ?, alternatives = ?, timings = ?, confidence = ?,
           finish_reason = ?, error_code = ?, error_message = ?, completed_at = ?
         WHERE id = ? AND status = 'PENDING'`,
      )
      .run(
        outcome.status,
        outcome.answer,
        JSON.stringify(outcome.tokenIds ?? []),
        JSON.stringify(outcome.alternatives ?? []),
        outcome.timings ? JSON.stringify(outcome.timings) : null,
        outcome.confidence ?? null,
        outcome.finishReason ?? null,
        outcome.errorCode ?? null,
        outcome.errorMessage ?? null,
        nowIso(),
        id,
      );
  }

  /** One turn by id (callers check the conversation's owner). */
  get(id: string): TurnRecord | undefined {
    const row = this.db.prepare<[string], TurnRow>('SELECT * FROM turns WHERE id = ?').get(id);
    return row && fromRow(row);
  }

  /** A conversation's turns in order. */
  list(conversationId: string): TurnRecord[] {
    return this.db
      .prepare<[string], TurnRow>('SELECT * FROM turns WHERE conversation_id = ? ORDER BY seq')
      .all(conversationId)
      .map(fromRow);
  }

  /** How many turns a conversation has. */
  count(conversationId: string): number {
    const row = this.db
      .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM turns WHERE conversation_id = ?')
      .get(conversationId);
    return row?.n ?? 0;
  }

  /** Drops a turn that never ran (the engine refused it at once). */
  delete(id: string): void {
    this.db.prepare('DELETE FROM turns WHERE id = ?').run(id);
  }

  /** At start-up: turns left PENDING by a process that died become INTERRUPTED. Returns how many. */
  interruptPending(): number {
    return this.db
      .prepare(
        `UPDATE turns SET status = 'INTERRUPTED', completed_at = ?, error_message = 'the server stopped before this turn ended'
         WHERE status = 'PENDING'`,
      )
      .run(nowIso()).changes;
  }
}
