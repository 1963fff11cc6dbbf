// Every GraphQL operation the UI sends. Their result types are generated from apps/api/schema.graphql (codegen.ts,
// output in src/gql/), so an operation the schema no longer allows fails the typecheck and the tests.
import { graphql } from '../gql/index.js';

export const TURN_FIELDS = graphql(`
  fragment TurnFields on Turn {
    id index kind question answer status finishReason confidence model replaces
    alternatives { text score }
    timings { firstTokenMs totalMs perTokenMs queueMs visionMs }
    tokenIds
    error { code message }
  }
`);

export const SETTINGS_FIELDS = graphql(`
  fragment SettingsFields on GenerationSettings {
    strategy numBeams numReturnSequences lengthPenalty temperature topK topP seed
    repetitionPenalty minNewTokens maxNewTokens model precision
  }
`);

export const START_QUERY = graphql(`
  query Start {
    models {
      name baseName precision isDefault family confidenceThreshold
      card { summary outsideAnswer questionTypes { name examples } }
    }
    limits {
      maxUploadBytes maxQuestionChars acceptedMimeTypes maxTitleChars maxSearchChars
      search { maxResults maxRerank }
      options { name type min minExclusive max maxExclusive atMost strategies description }
    }
  }
`);

export const CONVERSATIONS_QUERY = graphql(`
  query Conversations($first: Int, $after: String, $search: String) {
    conversations(first: $first, after: $after, search: $search) {
      pageInfo { hasNextPage endCursor }
      nodes { id title createdAt updatedAt image { id url } turns { index kind answer } }
    }
  }
`);

export const CONVERSATION_QUERY = graphql(`
  query Conversation($id: ID!) {
    conversation(id: $id) {
      id title createdAt updatedAt
      image { id url width height filename }
      settings { ...SettingsFields }
      turns { ...TurnFields }
    }
  }
`);

export const UPLOAD_MUTATION = graphql(`
  mutation Upload($file: File!) {
    uploadImage(file: $file) { id url width height filename }
  }
`);

export const UPDATE_SETTINGS_MUTATION = graphql(`
  mutation UpdateSettings($id: ID!, $settings: GenerationOptions!) {
    updateConversationSettings(id: $id, settings: $settings) { id }
  }
`);

export const RENAME_MUTATION = graphql(`
  mutation Rename($id: ID!, $title: String) {
    renameConversation(id: $id, title: $title) { id title updatedAt }
  }
`);

export const DELETE_MUTATION = graphql(`
  mutation Delete($id: ID!) {
    deleteConversation(id: $id)
  }
`);

export const CAPTION_STREAM = graphql(`
  subscription CaptionStream($imageId: ID!, $conversationId: ID, $options: GenerationOptions, $replaces: ID) {
    captionStream(imageId: $imageId, conversationId: $conversationId, options: $options, replaces: $replaces) {
      __typename
      ... on StreamStarted { conversation { id title updatedAt } turn { id index } }
      ... on StreamQueued { position }
      ... on StreamImage { source }
      ... on StreamAnswering { at }
      ... on StreamToken { index delta }
      ... on StreamCompleted { turn { ...TurnFields } }
    }
  }
`);

export const ANSWER_STREAM = graphql(`
  subscription AnswerStream(
    $imageId: ID!
    $question: String!
    $conversationId: ID
    $options: GenerationOptions
    $replaces: ID
  ) {
    answerStream(
      imageId: $imageId
      question: $question
      conversationId: $conversationId
      options: $options
      replaces: $replaces
    ) {
      __typename
      ... on StreamStarted { conversation { id title updatedAt } turn { id index } }
      ... on StreamQueued { position }
      ... on StreamImage { source }
      ... on StreamAnswering { at }
      ... on StreamToken { index delta }
      ... on StreamCompleted { turn { ...TurnFields } }
    }
  }
`);

export const SEARCH_IMAGES_QUERY = graphql(`
  query SearchImages($text: String!, $first: Int, $rerank: Int) {
    searchImages(text: $text, first: $first, rerank: $rerank) {
      searched
      hits { score similarity match conversation { id } image { id url width height filename } }
    }
  }
`);
