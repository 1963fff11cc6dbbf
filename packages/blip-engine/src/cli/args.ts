// Command-line arguments → a validated command. Pure, so it is unit-tested without a model.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { GenerationOptions } from '../types.js';

export interface CliCommand {
  task: 'caption' | 'ask';
  image: string;
  question: string | null;
  model: string;
  prompt: string | undefined;
  options: GenerationOptions;
  json: boolean;
}

export const USAGE = `usage:
  npm run blip -- caption <image> [--prompt "a picture of"] [options]
  npm run blip -- ask <image> "<question>" [options]
options:
  --model <folder>        model folder (default models/shapes-demo if present, else models/tiny-vqa)
  --beams <n>             beam search with n beams (--alternatives <k> to print k of them)
  --sample                sampling (--temperature <t> --top-k <k> --top-p <p> --seed <s>)
  --max-new-tokens <n>    --min-new-tokens <n>   --repetition-penalty <r>   --length-penalty <l>
  --json                  print the result as JSON instead of text + timings`;

const NUMBER_FLAGS = {
  beams: 'numBeams',
  alternatives: 'numReturnSequences',
  temperature: 'temperature',
  'top-k': 'topK',
  'top-p': 'topP',
  seed: 'seed',
  'max-new-tokens': 'maxNewTokens',
  'min-new-tokens': 'minNewTokens',
  'repetition-penalty': 'repetitionPenalty',
  'length-penalty': 'lengthPenalty',
} as const;

/** Parses argv (after the script name); throws an Error with a one-line message on bad usage. */
export function parseCommand(argv: string[], repoRoot: string): CliCommand {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      prompt: { type: 'string' },
      sample: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(Object.keys(NUMBER_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
    },
  });
  if (values.help) throw new Error(USAGE);
  const [task, image, question] = positionals;
  if (task !== 'caption' && task !== 'ask')
    throw new Error(`unknown command ${JSON.stringify(task ?? '')}\n${USAGE}`);
  if (!image) throw new Error(`${task}: which image?\n${USAGE}`);
  if (task === 'ask' && question === undefined) throw new Error(`ask: which question?\n${USAGE}`);
  const options: GenerationOptions = {};
  for (const [flag, field] of Object.entries(NUMBER_FLAGS)) {
    const raw = (values as Record<string, unknown>)[flag];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (raw === '' || Number.isNaN(value))
      throw new Error(`--${flag} needs a number, got ${JSON.stringify(raw)}`);
    (options as Record<string, number>)[field] = value;
  }
  if (values.sample) options.strategy = 'sample';
  return {
    task,
    image,
    question: task === 'ask' ? (question as string) : null,
    model: (values.model as string | undefined) ?? defaultModel(repoRoot),
    prompt: values.prompt as string | undefined,
    options,
    json: values.json === true,
  };
}

/** models/shapes-demo when it exists (the trained demo model), else the committed tiny test model. */
export function defaultModel(repoRoot: string): string {
  const demo = resolve(repoRoot, 'models/shapes-demo');
  return existsSync(demo) ? demo : resolve(repoRoot, 'models/tiny-vqa');
}
