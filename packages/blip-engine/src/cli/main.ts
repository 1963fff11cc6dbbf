// `npm run blip -- caption <image>` / `npm run blip -- ask <image> "<question>"`: streams the text to the
// terminal as it is generated, then the timings. Errors are one line on stderr and exit code 1.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Blip } from '../engine/blip.js';
import { BlipError } from '../errors.js';
import type { GenerationResult, StreamEvent } from '../types.js';
import { type CliCommand, parseCommand } from './args.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Runs one command; resolves with the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCommand(argv, REPO_ROOT);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const bytes = new Uint8Array(
    await readFile(command.image).catch(() => fail(`cannot read image ${command.image}`)),
  );
  const blip = await Blip.load(command.model);
  try {
    const options = {
      ...command.options,
      ...(command.prompt !== undefined ? { prompt: command.prompt } : {}),
    };
    const stream =
      command.task === 'ask'
        ? blip.answerStream(bytes, command.question as string, options)
        : blip.captionStream(bytes, options);
    const result = await printStream(stream, command.json);
    if (command.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else printSummary(blip, result);
    return 0;
  } finally {
    await blip.dispose();
  }
}

/** Writes each delta as it arrives (unless --json) and returns the final result. */
async function printStream(stream: AsyncGenerator<StreamEvent>, json: boolean): Promise<GenerationResult> {
  for await (const event of stream) {
    if (event.type === 'token' && !json) process.stdout.write(event.delta);
    if (event.type === 'done') return event.result;
  }
  throw new BlipError('CANCELLED', 'generation ended without a result');
}

function printSummary(blip: Blip, result: GenerationResult): void {
  const t = result.timings;
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  process.stdout.write('\n');
  for (const [i, alt] of result.alternatives.entries()) {
    if (result.alternatives.length > 1)
      process.stdout.write(`  #${i + 1} ${alt.score.toFixed(4)}  ${alt.text}\n`);
  }
  process.stdout.write(
    `[${blip.info.name}] ${result.tokenIds.length} tokens, ${result.finishReason}; preprocess ${ms(t.preprocessMs)}, ` +
      `vision ${ms(t.visionMs)}, text encoder ${ms(t.textEncoderMs)}, first token ${ms(t.firstTokenMs)}, ` +
      `${ms(t.perTokenMs)}/token, total ${ms(t.totalMs)}\n`,
  );
}

function fail(message: string): never {
  throw new Error(message);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const code = error instanceof BlipError ? `${error.code}: ` : '';
      process.stderr.write(`blip: ${code}${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
