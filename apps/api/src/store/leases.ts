// Turn leases across replicas: each process renews its hold on the turns it runs every `renewMs`, and on the same
// beat marks INTERRUPTED any PENDING turn whose holder stopped renewing for `leaseMs` (it was killed, or cut off
// from the database). A restarting replica therefore leaves its live neighbours' turns alone.
import type { Dialect } from './db.js';
import type { TurnRepo } from './turns.js';

/** Named settings: TURN_LEASE_MS and TURN_LEASE_RENEW_MS. */
export interface LeaseSettings {
  leaseMs: number;
  renewMs: number;
}

/** What one beat did, for logs and metrics. */
export interface LeaseBeat {
  renewed: number;
  interrupted: { id: string; leaseOwner: string | null }[];
}

/** Renews this process's leases and ends expired ones, on a timer. */
export class TurnLeases {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<LeaseBeat | undefined> | undefined;
  private running: () => string[] = () => [];

  constructor(
    private readonly turns: TurnRepo,
    private readonly settings: LeaseSettings,
    private readonly onBeat: (beat: LeaseBeat) => void = () => {},
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    if (settings.renewMs >= settings.leaseMs)
      throw new Error('setting TURN_LEASE_RENEW_MS: must be below TURN_LEASE_MS');
  }

  /** At start-up: a SQLite file has one server process, so whatever is PENDING was its predecessor's and is
   * interrupted at once; on PostgreSQL only turns whose lease has expired are. Returns how many. */
  async recover(dialect: Dialect): Promise<number> {
    if (dialect === 'sqlite') return this.turns.interruptPending();
    return (await this.turns.interruptExpired()).length;
  }

  /** Tells the beat which turns this process runs (the runner exists only once the models are loaded). */
  track(running: () => string[]): void {
    this.running = running;
  }

  /** Starts the beat (the timer does not keep the process alive). */
  start(): void {
    this.timer ??= setInterval(() => void this.beat(), this.settings.renewMs);
    this.timer.unref();
  }

  /** One renew + sweep; a beat still running is awaited instead of starting a second one. */
  beat(): Promise<LeaseBeat | undefined> {
    this.beating ??= this.renewAndSweep().finally(() => {
      this.beating = undefined;
    });
    return this.beating;
  }

  private async renewAndSweep(): Promise<LeaseBeat | undefined> {
    try {
      const renewed = await this.turns.renewLeases(this.running());
      const interrupted = await this.turns.interruptExpired();
      const result = { renewed, interrupted };
      this.onBeat(result);
      return result;
    } catch (err) {
      // The database is away: keep beating; if it stays away longer than the lease, others take over.
      this.onError(err);
      return undefined;
    }
  }

  /** Stops the beat and waits for one in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
  }
}
