'use client';
// The page: conversation list, the image and its messages, the question box, and the settings dialog.
import { useCallback, useEffect, useRef, useState } from 'react';
import { modelOf, suggestionsFor } from '../lib/judge.js';
import styles from './ChatApp.module.css';
import { Composer } from './Composer.js';
import { ConversationTitle } from './ConversationTitle.js';
import { ErrorBanner } from './ErrorBanner.js';
import { ImageDrop } from './ImageDrop.js';
import { ImagePreview } from './ImagePreview.js';
import { ImageSearch } from './ImageSearch.js';
import { LiveRegion } from './LiveRegion.js';
import { MessageList } from './MessageList.js';
import { ModelCard } from './ModelCard.js';
import { SettingsPanel } from './SettingsPanel.js';
import { Sidebar } from './Sidebar.js';
import { Suggestions } from './Suggestions.js';
import { ThemeToggle } from './ThemeToggle.js';
import { useChat } from './useChat.js';
import { useImageSearch } from './useImageSearch.js';
import { usePageTitle } from './usePageTitle.js';
import { usePastedImage } from './usePastedImage.js';

/** Everything on screen, wired to useChat. */
export function ChatView() {
  const question = useRef<HTMLTextAreaElement>(null);
  const settingsToggle = useRef<HTMLButtonElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const pick = useCallback(() => fileInput.current?.click(), []);
  const focusQuestion = useCallback(() => question.current?.focus(), []);
  const chat = useChat(focusQuestion);
  const [listOpen, setListOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [dragging, setDragging] = useState(false);
  const { state } = chat;
  const imageSearch = useImageSearch(chat.server.limits, chat.report);
  usePastedImage(chat.chooseFile);
  const pageName = usePageTitle(state);

  // Escape stops a running answer from anywhere on the page (the settings dialog handles its own Escape).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || settingsOpen) return;
      if (chat.streaming) chat.stop();
      else setListOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [chat.streaming, chat.stop, settingsOpen]);

  const closeSettings = useCallback(() => {
    setSettingsOpen(false);
    settingsToggle.current?.focus();
  }, []);
  const streamingTurn = state.turns.find((t) => t.status === 'STREAMING') ?? null;
  const asked = new Set(state.turns.map((t) => t.question));
  const model = modelOf(chat.server.models, state.settings.model);
  return (
    <div className={styles.app}>
      <Sidebar
        open={listOpen}
        list={chat.list}
        currentId={state.conversationId}
        onOpen={(id) => {
          setListOpen(false);
          void chat.open(id);
        }}
        onNew={() => {
          setListOpen(false);
          chat.newConversation();
        }}
        imageSearch={
          <ImageSearch
            search={imageSearch}
            maxChars={chat.server.limits.maxQuestionChars}
            enabled={chat.server.limits.search.maxResults > 0}
            onChoose={(hit) => {
              setListOpen(false);
              if (hit.conversation) void chat.open(hit.conversation.id);
              else chat.startWith(hit.image, hit.image.url);
            }}
          />
        }
      />
      {listOpen && (
        <button
          type="button"
          className={styles.backdrop}
          aria-label="Close the conversation list"
          onClick={() => setListOpen(false)}
        />
      )}
      <main
        className={`${styles.main} ${dragging ? styles.dragging : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          chat.chooseFiles(Array.from(e.dataTransfer.files));
        }}
        data-testid="chat"
      >
        <header className={styles.header}>
          <button
            type="button"
            className={styles.iconButton}
            aria-expanded={listOpen}
            aria-controls="conversation-list"
            onClick={() => setListOpen((o) => !o)}
            data-testid="list-toggle"
          >
            ☰<span className={styles.srOnly}>Conversations</span>
          </button>
          <ConversationTitle
            name={pageName}
            title={state.title ?? ''}
            maxChars={chat.server.limits.maxTitleChars}
            canRename={state.conversationId !== null}
            onRename={chat.rename}
          />
          <ThemeToggle />
          <button
            ref={settingsToggle}
            type="button"
            className={styles.textButton}
            aria-haspopup="dialog"
            aria-expanded={settingsOpen}
            onClick={() => setSettingsOpen(true)}
            data-testid="settings-toggle"
          >
            Settings
          </button>
        </header>
        <ErrorBanner
          error={chat.error}
          offline={chat.server.offline}
          onDismiss={chat.dismissError}
          onRetry={chat.retry}
        />
        <div className={styles.scroll}>
          {state.preview ? (
            <>
              <ImagePreview src={state.preview} />
              <ModelCard model={model} compact />
            </>
          ) : (
            <ImageDrop onPick={pick} onSample={(s) => void chat.chooseSample(s)} model={model} />
          )}
          <MessageList
            turns={state.turns}
            models={chat.server.models}
            onRegenerate={chat.regenerate}
            onEdit={chat.edit}
            onRetry={chat.retryUnsent}
            onOpenSettings={() => setSettingsOpen(true)}
          />
        </div>
        <Suggestions
          questions={state.image ? suggestionsFor(chat.sampleQuestions, model, asked) : []}
          disabled={chat.streaming}
          onAsk={(q) => {
            chat.ask(q);
            focusQuestion();
          }}
        />
        {/* One file picker for the page: the empty state's button and the composer's "New image" both open it. */}
        <input
          ref={fileInput}
          type="file"
          accept={chat.server.limits.acceptedMimeTypes.join(',')}
          className={styles.srOnly}
          tabIndex={-1}
          aria-hidden="true"
          data-testid="file-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) chat.chooseFile(file);
          }}
        />
        <Composer
          inputRef={question}
          onPickImage={state.image ? pick : null}
          disabled={!state.image}
          streaming={chat.streaming}
          uploading={chat.uploading}
          problems={chat.problems}
          maxChars={chat.server.limits.maxQuestionChars}
          onAsk={chat.ask}
          onStop={chat.stop}
          onOpenSettings={() => setSettingsOpen(true)}
        />
      </main>
      <SettingsPanel
        open={settingsOpen}
        settings={state.settings}
        models={chat.server.models}
        ranges={chat.server.ranges}
        onChange={chat.changeSettings}
        onClose={closeSettings}
      />
      <LiveRegion turn={streamingTurn} lastTurn={state.turns.at(-1) ?? null} />
    </div>
  );
}
