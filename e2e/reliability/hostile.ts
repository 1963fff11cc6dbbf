// Hostile GraphQL requests, odd questions and out-of-range options: each with the outcomes the API may give.
// A case passes when the observed code is one of `expect`; anything else (a 500, an uncoded error) fails it.

/** One request body and the codes that count as the right answer. */
export interface RequestCase {
  name: string;
  body: unknown;
  expect: string[];
}

const VALIDATION = 'GRAPHQL_VALIDATION_FAILED';
const PARSE = 'GRAPHQL_PARSE_FAILED';

/** Documents built to exhaust the parser, validator or executor. */
export function hostileDocuments(): RequestCase[] {
  const nest = (depth: number) => `${'{ a '.repeat(depth)}${'}'.repeat(depth)}`;
  const aliases = (n: number) =>
    `{ ${Array.from({ length: n }, (_, i) => `a${i}: limits { maxPixels }`).join(' ')} }`;
  const deepReal =
    '{ conversations { nodes { image { id } turns { options { model } alternatives { tokenIds } } } } }';
  return [
    { name: 'selection nested 30 deep', body: { query: nest(30) }, expect: [VALIDATION, PARSE] },
    { name: 'selection nested 5,000 deep', body: { query: nest(5000) }, expect: [VALIDATION, PARSE] },
    { name: '100 aliases of one field', body: { query: aliases(100) }, expect: [VALIDATION, PARSE] },
    { name: '10,000 aliases (token flood)', body: { query: aliases(10_000) }, expect: [PARSE, VALIDATION] },
    { name: 'the deepest useful real query', body: { query: deepReal }, expect: ['OK'] },
    {
      name: '60 directives on one field',
      body: { query: `{ limits ${'@skip(if: false) '.repeat(60)}{ maxPixels } }` },
      expect: [VALIDATION, PARSE],
    },
    {
      name: 'fragment cycle',
      body: { query: 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }' },
      expect: [VALIDATION],
    },
    {
      name: 'batched operations (array body)',
      body: [{ query: '{ limits { maxPixels } }' }, { query: '{ models { name } }' }],
      expect: ['BAD_REQUEST'],
    },
    { name: 'empty document', body: { query: '' }, expect: ['BAD_REQUEST', PARSE] },
    { name: 'query is a number', body: { query: 42 }, expect: ['BAD_REQUEST'] },
    {
      name: 'variables is a string',
      body: { query: '{ limits { maxPixels } }', variables: 'x' },
      expect: ['BAD_REQUEST'],
    },
    { name: 'body is JSON null', body: 'null', expect: ['BAD_REQUEST'] },
    { name: 'body is not JSON', body: '{"query": "{ limits', expect: ['BAD_REQUEST'] },
    {
      name: '200,000 unused variables',
      body: {
        query: '{ limits { maxPixels } }',
        variables: Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`v${i}`, i])),
      },
      expect: ['OK', 'BAD_REQUEST', 'REQUEST_ENTITY_TOO_LARGE'],
    },
    {
      name: 'a 1,000,000-element list variable',
      body: {
        query: 'query ($l: [Int!]) { limits { maxPixels } }',
        variables: { l: Array(1_000_000).fill(1) },
      },
      expect: [VALIDATION, 'OK', 'REQUEST_ENTITY_TOO_LARGE'],
    },
    {
      name: 'unknown operationName',
      body: { query: 'query A { limits { maxPixels } }', operationName: 'B' },
      expect: ['OPERATION_RESOLUTION_FAILURE'],
    },
    {
      name: 'two anonymous operations',
      body: { query: '{ limits { maxPixels } } { models { name } }' },
      expect: ['OPERATION_RESOLUTION_FAILURE', VALIDATION],
    },
    {
      name: 'introspection (kept on: GraphiQL uses it)',
      body: { query: '{ __schema { types { name } } }' },
      expect: ['OK'],
    },
    {
      name: 'field suggestion probe (typo)',
      body: { query: '{ conversatoins { totalCount } }' },
      expect: [VALIDATION],
    },
    {
      name: 'deleteConversation of a well-formed id that does not exist',
      body: { query: 'mutation { deleteConversation(id: "AAAAAAAAAAAAAAAAAAAAAA") }' },
      expect: ['NOT_FOUND'],
    },
  ];
}

/** Questions at and past the limits, and Unicode that breaks naive code. */
export function oddQuestions(maxChars: number): { name: string; question: string; expect: string[] }[] {
  const ok = ['OK'];
  return [
    { name: `exactly ${maxChars} ASCII characters`, question: 'a'.repeat(maxChars), expect: ok },
    {
      name: `${maxChars + 1} ASCII characters`,
      question: 'a'.repeat(maxChars + 1),
      expect: ['INVALID_QUESTION'],
    },
    // Past MAX_STRING_CHARS the API refuses it as input before the engine sees it.
    {
      name: '100,000 characters',
      question: 'why '.repeat(25_000),
      expect: ['INVALID_QUESTION', 'BAD_USER_INPUT'],
    },
    { name: 'empty', question: '', expect: ['INVALID_QUESTION'] },
    { name: 'only whitespace and tabs', question: ' \t\n  ', expect: ['INVALID_QUESTION'] },
    { name: 'emoji and ZWJ sequences', question: 'is the 👩‍👩‍👧‍👦 next to the 🔴?', expect: ok },
    // Characters are code points everywhere (engine and limits), so this is exactly at the limit.
    {
      name: `${maxChars} emoji (2 UTF-16 units each)`,
      question: '😀'.repeat(maxChars),
      expect: ['OK', 'INVALID_QUESTION'],
    },
    { name: 'NUL and control characters', question: 'what\u0000 is\u0007 this\u001b[31m?', expect: ok },
    { name: 'right-to-left override', question: 'what colour \u202eis this\u202c?', expect: ok },
    {
      name: 'zero-width characters only',
      question: '\u200b\u200c\u200d\ufeff',
      expect: ['OK', 'INVALID_QUESTION'],
    },
    { name: '300 combining marks on one letter', question: `a${'\u0301'.repeat(300)}?`, expect: ok },
    { name: 'lone surrogate', question: 'what \ud800 is this?', expect: ok },
    { name: 'CJK, Arabic, Devanagari', question: '这是什么? ما هذا؟ यह क्या है?', expect: ok },
    { name: 'HTML/script', question: '<script>alert(1)</script> what is it?', expect: ok },
    { name: 'SQL injection text', question: "'; DROP TABLE turns; -- how many?", expect: ok },
  ];
}

/** Generation options outside their ranges: each must be INVALID_OPTIONS naming the field (or a GraphQL coercion error). */
export function badOptions(): { name: string; options: Record<string, unknown>; expect: string[] }[] {
  const inv = ['INVALID_OPTIONS'];
  const coerce = ['BAD_USER_INPUT', VALIDATION];
  return [
    { name: 'maxNewTokens 0', options: { maxNewTokens: 0 }, expect: inv },
    { name: 'maxNewTokens 513', options: { maxNewTokens: 513 }, expect: inv },
    { name: 'maxNewTokens -1', options: { maxNewTokens: -1 }, expect: inv },
    { name: 'maxNewTokens 2^31 (Int overflow)', options: { maxNewTokens: 2 ** 31 }, expect: coerce },
    { name: 'minNewTokens > maxNewTokens', options: { minNewTokens: 9, maxNewTokens: 3 }, expect: inv },
    { name: 'numBeams 1 with BEAM', options: { strategy: 'BEAM', numBeams: 1 }, expect: inv },
    { name: 'numBeams 17', options: { strategy: 'BEAM', numBeams: 17 }, expect: inv },
    {
      name: 'numReturnSequences > numBeams',
      options: { strategy: 'BEAM', numBeams: 2, numReturnSequences: 3 },
      expect: inv,
    },
    { name: 'temperature 0', options: { strategy: 'SAMPLE', temperature: 0 }, expect: inv },
    { name: 'temperature -1', options: { strategy: 'SAMPLE', temperature: -1 }, expect: inv },
    {
      name: 'temperature 1e308',
      options: { strategy: 'SAMPLE', temperature: 1e308 },
      expect: ['OK', ...inv],
    },
    { name: 'topP 0', options: { strategy: 'SAMPLE', topP: 0 }, expect: inv },
    { name: 'topP 1.5', options: { strategy: 'SAMPLE', topP: 1.5 }, expect: inv },
    { name: 'topK -1', options: { strategy: 'SAMPLE', topK: -1 }, expect: inv },
    { name: 'topK with GREEDY', options: { strategy: 'GREEDY', topK: 5 }, expect: inv },
    { name: 'repetitionPenalty 0.5', options: { repetitionPenalty: 0.5 }, expect: inv },
    { name: 'strategy "FOO"', options: { strategy: 'FOO' }, expect: coerce },
    {
      name: 'temperature "hot" (wrong type)',
      options: { strategy: 'SAMPLE', temperature: 'hot' },
      expect: coerce,
    },
    { name: 'unknown option field', options: { beams: 3 }, expect: coerce },
    { name: 'model that is not loaded', options: { model: '../../etc/passwd' }, expect: inv },
    { name: 'precision INT8 not built', options: { precision: 'INT8' }, expect: inv },
  ];
}
