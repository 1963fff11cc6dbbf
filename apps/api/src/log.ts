// Structured logs (pino, JSON lines on stdout). Every line about a generation carries the request id and the turn
// id (child loggers, passed down to the engine's CallContext.logger), so one grep follows a turn through the API
// and the engine. What is logged is chosen field by field: never headers, cookies, owner keys, tokens, questions or
// answers; owners appear only as the hash the store keeps.
import { randomUUID } from 'node:crypto';
import { type Logger, pino } from 'pino';

export type { Logger };

/** The levels LOG_LEVEL accepts (pino's, and `silent`). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The server's root logger. `destination` is for tests (a stream they read); default stdout. */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'blip-api' },
    // Belt and braces: these never get logged on purpose, but a stray object must not carry them either.
    redact: {
      paths: ['*.headers', '*.cookie', '*.authorization', '*.ownerKey', 'headers', 'cookie', 'authorization'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A request's id: the caller's x-request-id when it is a short token (so a proxy's id carries through), else new. */
export function requestIdOf(header: string | null): string {
  return header && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID();
}
