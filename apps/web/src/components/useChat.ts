'use client';
// The chat's behaviour: ask, stop, regenerate or edit in place, open and start conversations, settings, and the
// outage handling, over urql. The list lives in useConversations, what the server publishes in useServer.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useClient } from 'urql';
import type { ImageInfo, Settings } from '../lib/api.js';
import { type ChatState, chatReducer, emptyChat, isBlank, isStreaming } from '../lib/chatState.js';
import { type FriendlyError, fromCombinedError, isUnreachable } from '../lib/errors.js';
import { conversationInUrl, pushConversation, replaceConversation } from '../lib/history.js';
import { CONVERSATION_QUERY, UPDATE_SETTINGS_MUTATION } from '../lib/operations.js';
import { sameOptions, settingProblems, toOptions } from '../lib/settings.js';
import { runStream } from '../lib/stream.js';
import {
  appendToken,
  cancelTurn,
  failTurn,
  finishTurn,
  fromApiTurn,
  startTurn,
  type TurnView,
} from '../lib/turns.js';
import { forgetUnsent, keepUnsent, unsentTurns } from '../lib/unsentTurns.js';
import { versionLinks } from '../lib/versionLinks.js';
import { originalOf } from '../lib/versions.js';
import { useConversations } from './useConversations.js';
import { useServer } from './useServer.js';
import { useUpload } from './useUpload.js';

/** Settings are saved this long after the last change, so typing a number sends one request. */
export const SETTINGS_SAVE_DELAY_MS = 400;

let localTurns = 0;

/** Everything the chat page needs; `focusQuestion` puts the cursor back in the question box after an action. */
export function useChat(focusQuestion: () => void) {
  const client = useClient();
  const [state, dispatch] = useReducer(chatReducer, undefined, () => emptyChat());
  const [error, setError] = useState<FriendlyError | null>(null);
  const [sampleQuestions, setSampleQuestions] = useState<string[]>([]);
  const stateRef = useRef<ChatState>(state);
  stateRef.current = state;
  const stopRef = useRef<{ key: string; stop: () => void } | null>(null);
  const savedSettings = useRef<Settings>(state.settings);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const unreachableRef = useRef<() => void>(() => {});
  const onBackRef = useRef<() => void>(() => {});

  const report = useCallback((e: FriendlyError | null) => {
    setError(e);
    if (isUnreachable(e)) unreachableRef.current();
  }, []);
  const list = useConversations(report);
  const server = useServer(setError, () => onBackRef.current());
  unreachableRef.current = server.unreachable;
  const rangesRef = useRef(server.ranges);
  rangesRef.current = server.ranges;

  const saveSettings = useCallback(
    async (id: string, settings: Settings) => {
      if (sameOptions(settings, savedSettings.current, rangesRef.current)) return;
      const res = await client
        .mutation(UPDATE_SETTINGS_MUTATION, { id, settings: toOptions(settings, rangesRef.current) })
        .toPromise();
      if (res.error) report(fromCombinedError(res.error));
      else savedSettings.current = settings;
    },
    [client, report],
  );

  /** Starts a caption (question null) or answer turn, optionally as a new version of `replaces`; false if it cannot. */
  const generate = useCallback(
    (question: string | null, replaces: string | null = null, base: ChatState = stateRef.current) => {
      if (!base.image || isStreaming(base) || settingProblems(base.settings, server.ranges).length > 0)
        return false;
      const key = `local-${++localTurns}`;
      const change = (f: (t: TurnView) => TurnView) => dispatch({ type: 'turn', key, change: f });
      dispatch({
        type: 'add-turn',
        turn: startTurn(key, question === null ? 'CAPTION' : 'QUESTION', question, replaces),
      });
      const request = {
        imageId: base.image.id,
        conversationId: base.conversationId,
        question,
        options: toOptions(base.settings, server.ranges),
        replaces,
      };
      const stop = runStream(client, request, {
        started: (conversation, turnId) => {
          change((t) => ({ ...t, id: turnId }));
          if (stateRef.current.conversationId === conversation.id) return;
          dispatch({ type: 'conversation', id: conversation.id, title: conversation.title });
          replaceConversation(conversation.id);
          void saveSettings(conversation.id, stateRef.current.settings).then(list.refresh);
        },
        progress: (progress) => change((t) => (t.status === 'STREAMING' ? { ...t, progress } : t)),
        token: (delta) => change((t) => appendToken(t, delta, null)),
        completed: (turn) => {
          stopRef.current = null;
          change((t) => finishTurn(t, { ...fromApiTurn(turn), key, replaces: t.replaces }));
          void list.refresh();
        },
        failed: (err) => {
          stopRef.current = null;
          const turn = stateRef.current.turns.find((t) => t.key === key);
          const conversationId = stateRef.current.conversationId;
          if (turn && conversationId && turn.id === null) keepUnsent(conversationId, failTurn(turn, err));
          change((t) => failTurn(t, err));
          if (isUnreachable(err)) server.unreachable();
        },
      });
      stopRef.current = { key, stop };
      return true;
    },
    [client, list.refresh, saveSettings, server.ranges, server.unreachable],
  );

  /** Cancels the running turn: unsubscribing ends the request, and the server stores the turn as cancelled. */
  const stop = useCallback(() => {
    const running = stopRef.current;
    if (!running) return;
    stopRef.current = null;
    running.stop();
    dispatch({ type: 'turn', key: running.key, change: cancelTurn });
    focusQuestion();
  }, [focusQuestion]);

  const reset = useCallback(() => {
    stop();
    // A new conversation starts from the defaults: the last one's settings stay with it.
    dispatch({ type: 'reset' });
    setSampleQuestions([]);
    savedSettings.current = {};
  }, [stop]);

  const newConversation = useCallback(() => {
    reset();
    pushConversation(null);
    focusQuestion();
  }, [reset, focusQuestion]);

  const open = useCallback(
    async (id: string, push = true) => {
      stop();
      if (push) pushConversation(id);
      const res = await client.query(CONVERSATION_QUERY, { id }).toPromise();
      if (res.error || !res.data) {
        const err = res.error ? fromCombinedError(res.error) : null;
        report(err);
        // Only a conversation that is gone leaves the address; in an outage ?c= stays and is reopened on reconnect.
        if (err?.code === 'NOT_FOUND') {
          replaceConversation(null);
          reset();
        }
        return;
      }
      dispatch({
        type: 'open',
        conversation: res.data.conversation,
        unsent: unsentTurns(id),
        links: versionLinks(id),
      });
      setSampleQuestions([]);
      savedSettings.current = stateRef.current.settings;
    },
    [client, stop, report, reset],
  );

  onBackRef.current = () => {
    void list.refresh();
    const id = conversationInUrl();
    if (id && stateRef.current.conversationId !== id) void open(id, false);
  };

  const changeSettings = useCallback(
    (settings: Settings) => {
      dispatch({ type: 'settings', settings });
      clearTimeout(saveTimer.current);
      const id = stateRef.current.conversationId;
      // Out-of-range values are shown in the form and never sent.
      if (!id || settingProblems(settings, server.ranges).length > 0) return;
      saveTimer.current = setTimeout(() => void saveSettings(id, settings), SETTINGS_SAVE_DELAY_MS);
    },
    [saveSettings, server.ranges],
  );

  const upload = useUpload({
    limits: server.limits,
    report,
    accepted: (image: ImageInfo, preview: string, questions: string[]) =>
      startWith(image, preview, questions),
  });

  /** A new conversation about an accepted image (an upload, or a search hit nothing was asked about yet): caption first. */
  const startWith = (image: ImageInfo, preview: string, questions: string[] = []) => {
    const blank = isBlank(stateRef.current);
    const settings = stateRef.current.settings;
    reset();
    // Settings chosen on the empty page are meant for this image; otherwise the new conversation starts fresh.
    const base = { ...emptyChat(blank ? settings : undefined), image, preview };
    if (blank) dispatch({ type: 'settings', settings });
    dispatch({ type: 'image', image, preview });
    pushConversation(null);
    setSampleQuestions(questions);
    generate(null, null, base);
    focusQuestion();
  };

  useEffect(() => {
    void list.refresh();
    const id = conversationInUrl();
    if (id) void open(id, false);
    const onPop = () => {
      const target = conversationInUrl();
      if (target) void open(target, false);
      else reset();
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [list.refresh, open, reset]);

  const rename = async (title: string) => {
    const id = stateRef.current.conversationId;
    if (!id) return;
    const stored = await list.rename(id, title);
    if (stored !== undefined) dispatch({ type: 'title', title: stored });
  };

  const retryUnsent = (turn: TurnView) => {
    const id = stateRef.current.conversationId;
    if (id) forgetUnsent(id, turn.key);
    dispatch({ type: 'remove-turn', key: turn.key });
    generate(turn.question, turn.replaces);
  };

  return {
    state,
    list,
    server,
    error,
    sampleQuestions,
    streaming: isStreaming(state),
    uploading: upload.uploading,
    problems: settingProblems(state.settings, server.ranges),
    dismissError: () => setError(null),
    report,
    startWith,
    chooseFile: (file: File) => void upload.chooseFile(file),
    chooseFiles: upload.chooseFiles,
    chooseSample: upload.chooseSample,
    ask: (question: string) => generate(question),
    regenerate: (turn: TurnView) => generate(turn.question, originalOf(state.turns, turn)),
    edit: (turn: TurnView, question: string) => generate(question, originalOf(state.turns, turn)),
    retryUnsent,
    rename,
    stop,
    newConversation,
    open,
    changeSettings,
    retry: () => void server.retryNow(),
  };
}
