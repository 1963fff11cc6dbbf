'use client';
// The client-side root: makes the urql client once in the browser (it needs localStorage for the owner key).
import type { Client } from '@urql/core';
import { useEffect, useState } from 'react';
import { Provider } from 'urql';
import { makeClient } from '../lib/client.js';
import styles from './ChatApp.module.css';
import { ChatView } from './ChatView.js';

/** Renders the chat once the browser-side GraphQL client exists. */
export function ChatApp() {
  const [client, setClient] = useState<Client | null>(null);
  useEffect(() => {
    setClient(makeClient());
  }, []);
  if (!client) return <div className={styles.loading} data-testid="app-loading" aria-busy="true" />;
  return (
    <Provider value={client}>
      <ChatView />
    </Provider>
  );
}
