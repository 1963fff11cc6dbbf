// Every GraphQL operation the UI sends, beside the shapes of their results (written by hand from apps/api/schema.graphql).
import { gql } from '@urql/core';

const TURN_FIELDS = `
  id index kind question answer status finishReason
  alternatives { text score }
  timings { firstTokenMs totalMs perTokenMs queueMs visionMs }
  tokenIds
  error { code message }
`;

const SETTINGS_FIELDS = `
  strategy numBeams numReturnSequences lengthPenalty temperature topK topP seed
  repetitionPenalty minNewTokens maxNewTokens model precision
`;

export const START_QUERY = gql`
  query Start {
    models { name baseName precision isDefault family }
    limits { maxUploadBytes maxQuestionChars acceptedMimeTypes }
  }
`;

export const CONVERSATIONS_QUERY = gql`
  query Conversations($first: Int) {
    conversations(first: $first) {
      nodes { id title updatedAt image { id url } turns { index kind answer } }
    }
  }
`;

export const CONVERSATION_QUERY = gql`
  query Conversation($id: ID!) {
    conversation(id: $id) {
      id title updatedAt
      image { id url width height filename }
      settings { ${SETTINGS_FIELDS} }
      turns { ${TURN_FIELDS} }
    }
  }
`;

export const UPLOAD_MUTATION = gql`
  mutation Upload($file: File!) {
    uploadImage(file: $file) { id url width height filename }
  }
`;

export const UPDATE_SETTINGS_MUTATION = gql`
  mutation UpdateSettings($id: ID!, $settings: GenerationOptions!) {
    updateConversationSettings(id: $id, settings: $settings) { id }
  }
`;

export const DELETE_MUTATION = gql`
  mutation Delete($id: ID!) {
    deleteConversation(id: $id)
  }
`;

const STREAM_SELECTION = `
  __typename
  ... on StreamStarted { conversation { id title updatedAt image { id url } } turn { id index } }
  ... on StreamToken { index delta }
  ... on StreamCompleted { turn { ${TURN_FIELDS} } }
`;

export const CAPTION_STREAM = gql`
  subscription CaptionStream($imageId: ID!, $conversationId: ID, $options: GenerationOptions) {
    captionStream(imageId: $imageId, conversationId: $conversationId, options: $options) { ${STREAM_SELECTION} }
  }
`;

export const ANSWER_STREAM = gql`
  subscription AnswerStream($imageId: ID!, $question: String!, $conversationId: ID, $options: GenerationOptions) {
    answerStream(imageId: $imageId, question: $question, conversationId: $conversationId, options: $options) {
      ${STREAM_SELECTION}
    }
  }
`;
