// Turn rows: written PENDING when asked, finished once when generation ends, so a crash leaves a trace.
import type { Candidate } from '@blip/engine';
import { newId, nowIso } from '../ids.js';
import { type Db, toCount } from './db.js';
import type { TurnRow } from './schema.js';
import type {
  GenerationSettings,
  Precision,
  StoredTimings,
  TurnKind,
  TurnRecord,
  TurnStatus,
} from './types.js';

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
    timings: r.timings ? (JSON.parse(r.timings) as StoredTimings) : null,
    confidence: r.confidence,
    replaces: r.replaces,
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until,
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
  /** The turn of the same conversation this one is a new version of. */
  replaces?: string | null;
}

/** How a turn ended. */
export interface TurnOutcome {
  status: Exclude<TurnStatus, 'PENDING'>;
  answer: string | null;
  tokenIds?: number[];
  alternatives?: Candidate[];
  timings?: StoredTimings | null;
  confidence?: number | null;
  finishReason?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
}

/** Which replica this process is, and how long its hold on a turn lasts without renewal. */
export interface LeaseTerms {
  /** Unique per process (a restarted process is a new owner and never renews its predecessor's turns). */
  owner: string;
  ms: number;
}

const INTERRUPTED = {
  status: 'INTERRUPTED',
  error_message: 'the server running this turn stopped before it ended',
} as const;

/** Turn records; ownership is checked through the conversation before any of these is called. */
export class TurnRepo {
  constructor(
    private readonly db: Db,
    readonly lease: LeaseTerms,
  ) {}

  private leaseUntil(): string {
    return new Date(Date.now() + this.lease.ms).toISOString();
  }

  /** Writes a PENDING turn at the end of its conversation. */
  async create(turn: NewTurn): Promise<TurnRecord> {
    return this.db.transaction().execute(async (tx) => {
      const createdAt = nowIso();
      // Touching the conversation first locks its row (PostgreSQL), so two replicas adding a turn to the same
      // conversation at once take turns and cannot both pick the same seq.
      await tx
        .updateTable('conversations')
        .set({ updated_at: createdAt })
        .where('id', '=', turn.conversationId)
        .execute();
      const next = await tx
        .selectFrom('turns')
        .select((eb) => eb.fn.max('seq').as('last'))
        .where('conversation_id', '=', turn.conversationId)
        .executeTakeFirst();
      const seq = next?.last === null || next?.last === undefined ? 0 : Number(next.last) + 1;
      const record: TurnRecord = {
        ...turn,
        replaces: turn.replaces ?? null,
        leaseOwner: this.lease.owner,
        leaseUntil: this.leaseUntil(),
        id: newId(),
        seq,
        answer: null,
        tokenIds: [],
        alternatives: [],
        timings: null,
        confidence: null,
        status: 'PENDING',
        finishReason: null,
        errorCode: null,
        errorMessage: null,
        createdAt,
        completedAt: null,
      };
      await tx
        .insertInto('turns')
        .values({
          id: record.id,
          conversation_id: turn.conversationId,
          seq,
          kind: turn.kind,
          question: turn.question,
          model: turn.model,
          precision: turn.precision,
          options: JSON.stringify(turn.options),
          replaces: turn.replaces ?? null,
          lease_owner: record.leaseOwner,
          lease_until: record.leaseUntil,
          status: 'PENDING',
          created_at: createdAt,
        })
        .execute();
      return record;
    });
  }

  /** Records how a PENDING turn ended; a turn that already ended is left alone. True when this call ended it. */
  async finish(id: string, outcome: TurnOutcome): Promise<boolean> {
    const result = await this.db
      .updateTable('turns')
      .set({
        status: outcome.status,
        answer: outcome.answer,
        token_ids: JSON.stringify(outcome.tokenIds ?? []),
        alternatives: JSON.stringify(outcome.alternatives ?? []),
        timings: outcome.timings ? JSON.stringify(outcome.timings) : null,
        confidence: outcome.confidence ?? null,
        finish_reason: outcome.finishReason ?? null,
        error_code: outcome.errorCode ?? null,
        error_message: outcome.errorMessage ?? null,
        completed_at: nowIso(),
      })
      .where('id', '=', id)
      .where('status', '=', 'PENDING')
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** One turn by id (callers check the conversation's owner). */
  async get(id: string): Promise<TurnRecord | undefined> {
    const row = await this.db.selectFrom('turns').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  /** A conversation's turns in order. */
  async list(conversationId: string): Promise<TurnRecord[]> {
    const rows = await this.db
      .selectFrom('turns')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('seq')
      .execute();
    return rows.map(fromRow);
  }

  /** How many turns a conversation has. */
  async count(conversationId: string): Promise<number> {
    const row = await this.db
      .selectFrom('turns')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return toCount(row?.n);
  }

  /** Drops a turn that never ran (the engine refused it at once). */
  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('turns').where('id', '=', id).execute();
  }

  /** Every PENDING turn becomes INTERRUPTED, whoever held it: only for a database one process owns (SQLite,
   * at start-up, when the process that held them is gone). Returns how many. */
  async interruptPending(): Promise<number> {
    const result = await this.db
      .updateTable('turns')
      .set({ ...INTERRUPTED, completed_at: nowIso() })
      .where('status', '=', 'PENDING')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Extends this process's hold on the PENDING turns it runs right now (one statement, however many); a row it
   * holds but no longer runs (its ending could not be written) is left to expire. Returns how many. */
  async renewLeases(running: string[]): Promise<number> {
    if (running.length === 0) return 0;
    const result = await this.db
      .updateTable('turns')
      .set({ lease_until: this.leaseUntil() })
      .where('id', 'in', running)
      .where('status', '=', 'PENDING')
      .where('lease_owner', '=', this.lease.owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** PENDING turns whose holder stopped renewing (it died or lost the database) become INTERRUPTED; turns made
   * before leases existed have no lease and count as expired. Any replica may run this. Returns the turns. */
  async interruptExpired(): Promise<{ id: string; leaseOwner: string | null }[]> {
    const now = nowIso();
    const expired = await this.db
      .updateTable('turns')
      .set({ ...INTERRUPTED, completed_at: now })
      .where('status', '=', 'PENDING')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .returning(['id', 'lease_owner'])
      .execute();
    return expired.map((r) => ({ id: r.id, leaseOwner: r.lease_owner }));
  }
}
