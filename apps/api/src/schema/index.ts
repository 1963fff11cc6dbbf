// The whole schema: each module registers its types on the shared builder when imported.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './enums.js';
import './image.js';
import './options.js';
import './turn.js';
import './conversation.js';
import './conversation-mutations.js';
import './generation.js';
import './stream.js';
import './model.js';
import './limits.js';
import './search.js';

/** The executable schema. */
export const schema = builder.toSchema();

/** The SDL as committed in apps/api/schema.graphql (sorted, so diffs show real changes only). */
export function printSdl(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
