// A generation the test holds: it starts (takes its slot, reads its image, says 'answering') and then does
// nothing until the test emits tokens, releases it or makes it fail. No timers anywhere.
import type { GenerationRequest } from '../src/engine/engine.js';
import { BlipError } from '../src/errors.js';
import type { BlipErrorCode, FinishReason } from '../src/types.js';

/** What the test tells a held generation to do next. */
export type HoldCommand =
  | { kind: 'tokens'; words: string[] }
  | { kind: 'release'; finishReason: Exclude<FinishReason, 'cancelled'>; confidence?: number | undefined }
  | { kind: 'fail'; error: BlipError };

/** The test's handle on one generation. */
export interface HeldGeneration {
  /** Resolves with the request once the generation holds a slot and has sent 'answering'. */
  readonly started: Promise<GenerationRequest>;
  /** Streams these words as token events now. */
  emit(...words: string[]): void;
  /** Ends the generation with a done event (finishReason 'eos' unless told otherwise). */
  release(options?: { finishReason?: 'eos' | 'length'; confidence?: number }): void;
  /** Ends the generation with a BlipError of `code` (the stream throws it). */
  fail(code: BlipErrorCode, message?: string): void;
}

/** The engine side of a hold: the commands in order, and the start signal. */
export class Hold implements HeldGeneration {
  readonly started: Promise<GenerationRequest>;
  private readonly commands: HoldCommand[] = [];
  private wake: (() => void) | null = null;
  private onStart: (request: GenerationRequest) => void = () => {};

  constructor() {
    this.started = new Promise((resolve) => {
      this.onStart = resolve;
    });
  }

  emit(...words: string[]): void {
    this.push({ kind: 'tokens', words });
  }

  release(options: { finishReason?: 'eos' | 'length'; confidence?: number } = {}): void {
    this.push({
      kind: 'release',
      finishReason: options.finishReason ?? 'eos',
      confidence: options.confidence,
    });
  }

  fail(code: BlipErrorCode, message = `the test failed this generation with ${code}`): void {
    this.push({ kind: 'fail', error: new BlipError(code, message) });
  }

  /** Engine side: the generation reached 'answering'. */
  begin(request: GenerationRequest): void {
    this.onStart(request);
  }

  /** Engine side: the next command, or null when `signal` aborts first. */
  async next(signal: AbortSignal): Promise<HoldCommand | null> {
    while (this.commands.length === 0) {
      if (signal.aborted) return null;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    return this.commands.shift() as HoldCommand;
  }

  private push(command: HoldCommand): void {
    this.commands.push(command);
    this.wake?.();
    this.wake = null;
  }
}
