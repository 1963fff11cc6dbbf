// The one Pothos builder every schema module adds to.
import SchemaBuilder from '@pothos/core';
import type { Context } from '../context.js';

/** Code-first schema builder: outputs non-null unless a field says otherwise, inputs optional unless required. */
export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: {
    ID: { Input: string; Output: string };
    File: { Input: File; Output: never };
    DateTime: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
}>({ defaultFieldNullability: false });

builder.scalarType('File', {
  description: 'A file sent by the GraphQL multipart request spec (input only).',
  serialize: () => {
    throw new Error('File is an input-only scalar');
  },
  parseValue: (value) => value as File,
});

builder.scalarType('DateTime', {
  description: 'An ISO-8601 UTC timestamp with milliseconds, e.g. 2026-11-28T07:00:00.000Z.',
  serialize: (value) => value,
  parseValue: (value) => String(value),
});

builder.queryType({ description: 'Reads only: no query has a side effect.' });
builder.mutationType({
  description:
    'Everything that changes state: uploads, conversations, and the whole-answer caption and answer.',
});
builder.subscriptionType({ description: 'Token-by-token streams of captions and answers.' });
