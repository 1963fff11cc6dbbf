// The open conversation as one value and the reducer that changes it; kept pure so the tests drive it directly.
import type { ConversationFull, ImageInfo, Settings } from './apiTypes.js';
import { DEFAULT_SETTINGS, fromStored } from './settings.js';
import { fromApiTurn, type TurnView, updateTurn } from './turns.js';

/** What the chat pane shows. */
export interface ChatState {
  conversationId: string | null;
  image: ImageInfo | null;
  /** What the preview shows: a local object URL while uploading, then the stored image. */
  preview: string | null;
  settings: Settings;
  turns: TurnView[];
}

export type ChatAction =
  | { type: 'reset'; settings?: Settings }
  | { type: 'open'; conversation: ConversationFull }
  | { type: 'preview'; url: string | null }
  | { type: 'image'; image: ImageInfo }
  | { type: 'conversation'; id: string }
  | { type: 'settings'; settings: Settings }
  | { type: 'add-turn'; turn: TurnView }
  | { type: 'turn'; key: string; change: (turn: TurnView) => TurnView };

/** An empty chat: no image yet. */
export function emptyChat(settings: Settings = DEFAULT_SETTINGS): ChatState {
  return { conversationId: null, image: null, preview: null, settings, turns: [] };
}

/** Applies one action; untouched parts keep their identity (memoised messages rely on it). */
export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'reset':
      return emptyChat(action.settings ?? state.settings);
    case 'open': {
      const c = action.conversation;
      const turns = c.turns.map(fromApiTurn);
      return {
        conversationId: c.id,
        image: c.image,
        preview: c.image.url,
        settings: fromStored(c.settings),
        turns,
      };
    }
    case 'preview':
      return { ...state, preview: action.url };
    case 'image':
      return { ...state, image: action.image };
    case 'conversation':
      return { ...state, conversationId: action.id };
    case 'settings':
      return { ...state, settings: action.settings };
    case 'add-turn':
      return { ...state, turns: [...state.turns, action.turn] };
    case 'turn': {
      const turns = updateTurn(state.turns, action.key, action.change);
      return turns === state.turns ? state : { ...state, turns };
    }
  }
}

/** True while some turn is still receiving tokens. */
export function isStreaming(state: ChatState): boolean {
  return state.turns.some((t) => t.status === 'STREAMING');
}
