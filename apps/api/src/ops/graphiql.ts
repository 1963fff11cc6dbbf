// The operations GraphiQL opens with: the whole flow of the API, ready to run in order.

const upload = `# Upload with curl (GraphiQL cannot send files):
#   curl http://localhost:4000/graphql -H 'x-graphql-yoga-csrf: 1' -H 'x-owner-key: my-browser-key-0001' \\
#     -F operations='{"query":"mutation($f: File!){ uploadImage(file: $f){ id width height } }","variables":{"f":null}}' \\
#     -F map='{"0":["variables.f"]}' -F 0=@picture.jpg
# then paste the id into the variables below.
query Models {
  models { name family precision isDefault parts { part precision } }
  limits { maxUploadBytes maxQuestionChars acceptedMimeTypes }
}`;

const caption = `mutation Caption($imageId: ID!) {
  caption(imageId: $imageId) {
    text
    conversation { id }
    timings { visionMs firstTokenMs perTokenMs totalMs }
  }
}`;

const answerStream = `subscription Ask($imageId: ID!, $conversationId: ID, $question: String!) {
  answerStream(imageId: $imageId, conversationId: $conversationId, question: $question) {
    __typename
    ... on StreamStarted { conversation { id } turn { id } }
    ... on StreamToken { index tokenId delta }
    ... on StreamCompleted { answer { text imageCacheHit timings { firstTokenMs perTokenMs totalMs } } }
  }
}`;

const beams = `mutation Beams($imageId: ID!, $question: String!) {
  answer(imageId: $imageId, question: $question, options: { strategy: BEAM, numBeams: 3, numReturnSequences: 3 }) {
    text
    alternatives { text score }
  }
}`;

const conversations = `query Conversations($after: String) {
  conversations(first: 10, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id updatedAt image { id width height } turns { kind question answer status } }
  }
}`;

const vars = (v: Record<string, unknown>) => JSON.stringify(v, null, 2);
const ids = { imageId: 'paste-an-image-id', conversationId: null };

/** GraphiQL tabs: models, caption, streamed answer, beam search alternatives, conversation list. */
export const GRAPHIQL_TABS = [
  { query: upload },
  { query: caption, variables: vars({ imageId: ids.imageId }) },
  { query: answerStream, variables: vars({ ...ids, question: 'how many circles are there?' }) },
  { query: beams, variables: vars({ imageId: ids.imageId, question: 'what color is the square?' }) },
  { query: conversations, variables: vars({ after: null }) },
];
