'use client';
// The chat's behaviour: upload, caption, ask, stop, regenerate, settings, and the conversation list, over urql.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useClient } from 'urql';
import type { ConversationFull, ConversationSummary, ImageInfo, Settings } from '../lib/apiTypes.js';
import { type ChatState, chatReducer, emptyChat, isStreaming } from '../lib/chatState.js';
import { type FriendlyError, fromCombinedError } from '../lib/errors.js';
import {
  ANSWER_STREAM,
  CAPTION_STREAM,
  CONVERSATION_QUERY,
  CONVERSATIONS_QUERY,
  DELETE_MUTATION,
  UPDATE_SETTINGS_MUTATION,
} from '../lib/operations.js';
import { sameOptions, toOptions } from '../lib/settings.js';
import { runStream } from '../lib/stream.js';
import { appendToken, cancelTurn, failTurn, finishTurn, fromApiTurn, startTurn } from '../lib/turns.js';
import { conversationInUrl, setConversationInUrl } from './urlState.js';
import { type SampleImage, useUpload } from './useUpload.js';

/** How many conversations the side list shows. */
export const LIST_SIZE = 50;
/** Settings are saved this long after the last change, so typing a number sends one request. */
export const SETTINGS_SAVE_DELAY_MS = 400;

let localTurns = 0;

/** Everything the chat page needs: state, the list, and the actions. */
export function useChat() {
  const client = useClient();
  const [state, dispatch] = useReducer(chatReducer, undefined, () => emptyChat());
  const [conversations, setConversations] = useState<ConversationSummary[] | 'unavailable' | null>(null);
  const [error, setError] = useState<FriendlyError | null>(null);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const stateRef = useRef<ChatState>(state);
  stateRef.current = state;
  const stopRef = useRef<{ key: string; stop: () => void } | null>(null);
  const savedSettings = useRef<Settings>(state.settings);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const refreshList = useCallback(async () => {
    const res = await client.query(CONVERSATIONS_QUERY, { first: LIST_SIZE }).toPromise();
    if (res.error) {
      setError(fromCombinedError(res.error));
      setConversations((list) => list ?? 'unavailable');
    } else setConversations(res.data.conversations.nodes as ConversationSummary[]);
  }, [client]);

  const saveSettings = useCallback(
    async (id: string, settings: Settings) => {
      if (sameOptions(settings, savedSettings.current)) return;
      const res = await client
        .mutation(UPDATE_SETTINGS_MUTATION, { id, settings: toOptions(settings) })
        .toPromise();
      if (res.error) setError(fromCombinedError(res.error));
      else savedSettings.current = settings;
    },
    [client],
  );

  /** Starts a caption or answer turn and streams it into the message list. */
  const generate = useCallback(
    (question: string | null, freshImage?: ImageInfo) => {
      // A fresh image starts a new conversation; the state ref has not seen the reset and the upload yet.
      const s = freshImage
        ? { ...stateRef.current, image: freshImage, conversationId: null }
        : stateRef.current;
      if (!s.image || (!freshImage && isStreaming(s))) return false;
      const key = `local-${++localTurns}`;
      dispatch({
        type: 'add-turn',
        turn: startTurn(key, question === null ? 'CAPTION' : 'QUESTION', question),
      });
      const vars = { imageId: s.image.id, conversationId: s.conversationId, options: toOptions(s.settings) };
      const stop = runStream(
        client,
        question === null ? CAPTION_STREAM : ANSWER_STREAM,
        question === null ? vars : { ...vars, question },
        question === null ? 'captionStream' : 'answerStream',
        {
          started: (conversation, turnId) => {
            dispatch({ type: 'turn', key, change: (t) => ({ ...t, id: turnId }) });
            if (stateRef.current.conversationId === conversation.id) return;
            dispatch({ type: 'conversation', id: conversation.id });
            setConversationInUrl(conversation.id);
            void saveSettings(conversation.id, stateRef.current.settings).then(refreshList);
          },
          token: (delta) => dispatch({ type: 'turn', key, change: (t) => appendToken(t, delta, null) }),
          completed: (turn) => {
            stopRef.current = null;
            dispatch({ type: 'turn', key, change: (t) => finishTurn(t, { ...fromApiTurn(turn), key }) });
            void refreshList();
          },
          failed: (err) => {
            stopRef.current = null;
            dispatch({ type: 'turn', key, change: (t) => failTurn(t, err) });
          },
        },
      );
      stopRef.current = { key, stop };
      return true;
    },
    [client, refreshList, saveSettings],
  );

  /** Cancels the running turn: unsubscribing ends the request, and the server stores the turn as cancelled. */
  const stop = useCallback(() => {
    const running = stopRef.current;
    if (!running) return;
    stopRef.current = null;
    running.stop();
    dispatch({ type: 'turn', key: running.key, change: cancelTurn });
    // The server records the cancellation a moment later; the list then shows the partial answer.
    setTimeout(() => void refreshList(), 500);
  }, [refreshList]);

  const newConversation = useCallback(() => {
    stop();
    dispatch({ type: 'reset' });
    setSuggestions([]);
    // Nothing is stored for a conversation that does not exist yet: its first stream saves the chosen settings.
    savedSettings.current = {};
    setConversationInUrl(null);
  }, [stop]);

  const open = useCallback(
    async (id: string) => {
      stop();
      const res = await client.query(CONVERSATION_QUERY, { id }).toPromise();
      if (res.error) {
        setError(fromCombinedError(res.error));
        setConversationInUrl(null);
        return;
      }
      const conversation = res.data.conversation as ConversationFull;
      dispatch({ type: 'open', conversation });
      setSuggestions([]);
      savedSettings.current = stateRef.current.settings;
      setConversationInUrl(id);
    },
    [client, stop],
  );

  const remove = useCallback(
    async (id: string) => {
      const res = await client.mutation(DELETE_MUTATION, { id }).toPromise();
      if (res.error) setError(fromCombinedError(res.error));
      if (stateRef.current.conversationId === id) newConversation();
      await refreshList();
    },
    [client, newConversation, refreshList],
  );

  const changeSettings = useCallback(
    (settings: Settings) => {
      dispatch({ type: 'settings', settings });
      clearTimeout(saveTimer.current);
      const id = stateRef.current.conversationId;
      if (id) saveTimer.current = setTimeout(() => void saveSettings(id, settings), SETTINGS_SAVE_DELAY_MS);
    },
    [saveSettings],
  );

  const upload = useUpload({
    dispatch,
    setError,
    onUploaded: (image) => generate(null, image),
    beforeUpload: newConversation,
  });

  useEffect(() => {
    void refreshList();
    const id = conversationInUrl();
    if (id) void open(id);
  }, [refreshList, open]);

  return {
    state,
    conversations,
    error,
    streaming: isStreaming(state),
    uploading: upload.uploading,
    limits: upload.limits,
    models: upload.models,
    dismissError: () => setError(null),
    chooseFile: upload.chooseFile,
    chooseSample: async (sample: SampleImage) => {
      await upload.chooseSample(sample);
      setSuggestions(sample.questions);
    },
    suggestions,
    ask: generate,
    regenerate: generate,
    stop,
    newConversation,
    open,
    remove,
    changeSettings,
    retry: () => {
      void upload.loadStart();
      void refreshList();
    },
  };
}
