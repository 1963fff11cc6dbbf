// GraphQL Code Generator (client preset): the types of every operation in src/ come from the API's committed schema.
// The output (src/gql/) is git-ignored and made before every typecheck, build and test, so a schema change that breaks
// an operation fails there, and one that does not needs no hand edit.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../api/schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  errorsOnly: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        emitLegacyCommonJSImports: false,
        skipTypename: false,
        scalars: { DateTime: 'string', File: 'File' },
      },
    },
  },
};

export default config;
