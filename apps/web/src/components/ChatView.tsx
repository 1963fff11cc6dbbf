'use client';
// The page: conversation list, the image and its messages, the question box, and the settings drawer.
import { useCallback, useEffect, useState } from 'react';
import styles from './ChatApp.module.css';
import { Composer } from './Composer.js';
import { ErrorBanner } from './ErrorBanner.js';
import { ImageDrop } from './ImageDrop.js';
import { ImagePreview } from './ImagePreview.js';
import { LiveRegion } from './LiveRegion.js';
import { MessageList } from './MessageList.js';
import { SettingsPanel } from './SettingsPanel.js';
import { Sidebar } from './Sidebar.js';
import { Suggestions } from './Suggestions.js';
import { useChat } from './useChat.js';
import { usePastedImage } from './usePastedImage.js';

/** Everything on screen, wired to useChat. */
export function ChatView() {
  const chat = useChat();
  const [listOpen, setListOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [dragging, setDragging] = useState(false);
  const { state } = chat;
  usePastedImage(chat.chooseFile);

  const onDrop = useCallback(
    (event: React.DragEvent) => {
      event.preventDefault();
      setDragging(false);
      const file = event.dataTransfer.files[0];
      if (file) void chat.chooseFile(file);
    },
    [chat.chooseFile],
  );
  // Escape stops a running answer from anywhere on the page; with nothing running it closes an open drawer.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      if (chat.streaming) chat.stop();
      else {
        setListOpen(false);
        setSettingsOpen(false);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [chat.streaming, chat.stop]);

  const streamingTurn = state.turns.find((t) => t.status === 'STREAMING') ?? null;
  return (
    <div className={styles.app}>
      <Sidebar
        open={listOpen}
        conversations={chat.conversations}
        currentId={state.conversationId}
        onOpen={(id) => {
          setListOpen(false);
          void chat.open(id);
        }}
        onDelete={(id) => void chat.remove(id)}
        onNew={() => {
          setListOpen(false);
          chat.newConversation();
        }}
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
        onDrop={onDrop}
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
          <h1 className={styles.title}>Ask about an image</h1>
          <button
            type="button"
            className={styles.textButton}
            aria-expanded={settingsOpen}
            aria-controls="settings-panel"
            onClick={() => setSettingsOpen((o) => !o)}
            data-testid="settings-toggle"
          >
            Settings
          </button>
        </header>
        <ErrorBanner error={chat.error} onDismiss={chat.dismissError} onRetry={chat.retry} />
        <div className={styles.scroll}>
          {state.preview ? (
            <ImagePreview src={state.preview} uploading={chat.uploading} />
          ) : (
            <ImageDrop
              onFile={(f) => void chat.chooseFile(f)}
              onSample={(s) => void chat.chooseSample(s)}
              accept={chat.limits.acceptedMimeTypes}
            />
          )}
          <MessageList turns={state.turns} onRegenerate={chat.regenerate} />
        </div>
        <Suggestions
          questions={state.image ? chat.suggestions : []}
          disabled={chat.streaming}
          onAsk={(q) => chat.ask(q)}
        />
        <Composer
          disabled={!state.image}
          streaming={chat.streaming}
          maxChars={chat.limits.maxQuestionChars}
          onAsk={chat.ask}
          onStop={chat.stop}
        />
      </main>
      <SettingsPanel
        open={settingsOpen}
        settings={state.settings}
        models={chat.models}
        onChange={chat.changeSettings}
        onClose={() => setSettingsOpen(false)}
      />
      <LiveRegion turn={streamingTurn} lastTurn={state.turns.at(-1) ?? null} />
    </div>
  );
}
