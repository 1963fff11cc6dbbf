// The open conversation as one value and the reducer that changes it; kept pure so the tests drive it directly.
import type { ConversationFull, ImageInfo, Settings } from './api.js';
import { DEFAULT_SETTINGS, fromStored } from './settings.js';
import { fromApiTurn, type TurnView, updateTurn } from './turns.js';

/** What the chat pane shows. */
export interface ChatState {
  conversationId: string | null;
  title: string | null;
  image: ImageInfo | null;
  /** What the preview shows: a local object URL while uploading, then the stored image. */
  preview: string | null;
  settings: Settings;
  turns: TurnView[];
}

export type ChatAction =
  | { type: 'reset'; settings?: Settings }
  | { type: 'open'; conversation: ConversationFull; unsent: TurnView[]; links?: Record<string, string> }
  | { type: 'image'; image: ImageInfo; preview: string }
  | { type: 'conversation'; id: string; title: string | null }
  | { type: 'title'; title: string | null }
  | { type: 'settings'; settings: Settings }
  | { type: 'add-turn'; turn: TurnView }
  | { type: 'remove-turn'; key: string }
  | { type: 'turn'; key: string; change: (turn: TurnView) => TurnView };

/** An empty chat: no image yet. */
export function emptyChat(settings: Settings = DEFAULT_SETTINGS): ChatState {
  return { conversationId: null, title: null, image: null, preview: null, settings, turns: [] };
}

/** Applies one action; untouched parts keep their identity (memoised messages rely on it). */
export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'reset':
      return emptyChat(action.settings ?? DEFAULT_SETTINGS);
    case 'open': {
      const c = action.conversation;
      return {
        conversationId: c.id,
        title: c.title,
        image: c.image,
        preview: c.image.url,
        settings: fromStored(c.settings),
        turns: [
          // The API records the link (Turn.replaces); links this browser kept before it did are the fallback.
          ...c.turns.map((t) => ({
            ...fromApiTurn(t),
            replaces: t.replaces ?? action.links?.[t.id] ?? null,
          })),
          ...action.unsent,
        ],
      };
    }
    case 'image':
      return { ...state, image: action.image, preview: action.preview };
    case 'conversation':
      return { ...state, conversationId: action.id, title: action.title };
    case 'title':
      return { ...state, title: action.title };
    case 'settings':
      return { ...state, settings: action.settings };
    case 'add-turn':
      return { ...state, turns: [...state.turns, action.turn] };
    case 'remove-turn':
      return { ...state, turns: state.turns.filter((t) => t.key !== action.key) };
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

/** True for a chat with nothing in it yet (its settings may still be chosen for the conversation to come). */
export function isBlank(state: ChatState): boolean {
  return state.conversationId === null && state.turns.length === 0 && state.image === null;
}
