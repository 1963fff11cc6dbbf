// Short names for the generated operation types the UI passes around (src/gql/ is generated from the API's schema by
// codegen.ts; nothing here restates a field by hand).
import type {
  ConversationQuery,
  ConversationsQuery,
  SearchImagesQuery,
  SettingsFieldsFragment,
  StartQuery,
  TurnFieldsFragment,
  UploadMutation,
} from '../gql/graphql.js';

export type { Precision, Strategy, TurnKind } from '../gql/graphql.js';

/** Generation settings as the form holds them: only the fields that were set. */
export type Settings = Partial<Omit<SettingsFieldsFragment, '__typename'>>;
export type ModelInfo = StartQuery['models'][number];
export type Limits = StartQuery['limits'];
export type ImageInfo = UploadMutation['uploadImage'];
export type ConversationSummary = ConversationsQuery['conversations']['nodes'][number];
export type ConversationFull = ConversationQuery['conversation'];
export type ApiTurn = TurnFieldsFragment;
export type ImageHit = SearchImagesQuery['searchImages']['hits'][number];
