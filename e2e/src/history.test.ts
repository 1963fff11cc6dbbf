// The conversation list and the address: Back and Forward between conversations, the tab title, "load more" past
// the first page, dates, "+ New conversation" always in reach, and delete with undo that never moves a row under
// the pointer.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { graphql, makeConversations, uploadAs } from './apiClient.js';
import { type ChatPage, textOf } from './pages/chat.js';
import { REPO } from './servers.js';
import { type Stack, startStack } from './stack.js';

const IMAGE = join(REPO, 'models', 'fixtures', 'images', 'shapes-640x480.png');
const OWNER = 'e2e-history-owner-0123456789';
/** More than one page of the list (50). */
const COUNT = 55;

let stack: Stack;
let chat: ChatPage;

describe('history and the conversation list', { timeout: 300_000 }, () => {
  before(async () => {
    stack = await startStack();
    const imageId = await uploadAs(stack.api.url, OWNER, IMAGE);
    await makeConversations(stack.api.url, OWNER, imageId, COUNT);
    chat = await stack.open();
    await chat.page.addInitScript((k) => localStorage.setItem('blip.ownerKey', k), OWNER);
  });

  after(async () => {
    await stack?.stop();
  });

  test('the list shows dates, loads more past the first page, and keeps "+ New conversation" in reach', async () => {
    await chat.goto('/');
    await chat.conversations().nth(49).waitFor();
    assert.equal(await chat.conversations().count(), 50);
    assert.match(await textOf(chat.conversations().first().getByTestId('conversation-date')), /\d/);
    // Scrolling to the end loads the rest by itself.
    await chat.page.getByTestId('load-more').scrollIntoViewIfNeeded();
    await chat
      .conversations()
      .nth(COUNT - 1)
      .waitFor();
    assert.equal(await chat.conversations().count(), COUNT);
    assert.equal(await chat.page.getByTestId('load-more').count(), 0, 'nothing more to load');
    await chat.conversations().last().scrollIntoViewIfNeeded();
    const button = await chat.page.getByTestId('new-conversation').boundingBox();
    assert.ok(
      button && button.y >= 0 && button.y < 100,
      `"+ New conversation" is still at the top (${button?.y})`,
    );
  });

  test('opening conversations adds history entries: Back and Forward move between them; the tab is named', async () => {
    await chat.goto('/');
    const open = async (n: number) => {
      const row = chat.conversations().nth(n);
      const label = await textOf(row.getByTestId('conversation-label'));
      await row.getByTestId('conversation-open').click();
      await chat.page.waitForFunction((t) => document.title === t, `${label} — BLIP chat`);
      return { url: chat.page.url(), title: `${label} — BLIP chat` };
    };
    const a = await open(0);
    const b = await open(1);
    assert.match(a.url, /\?c=/);
    assert.notEqual(a.url, b.url);
    await chat.page.goBack();
    await chat.page.waitForURL(a.url);
    await chat.page.waitForFunction((t) => document.title === t, a.title);
    await chat.page.goBack();
    await chat.page.getByTestId('drop-zone').waitFor();
    assert.equal(await chat.page.title(), 'BLIP chat');
    await chat.page.goForward();
    await chat.page.waitForURL(a.url);
    await chat.page.getByTestId('image-preview').waitFor();
  });

  test('a conversation can be renamed, and the list searched', async () => {
    await chat.goto('/');
    const old = await textOf(chat.conversations().first().getByTestId('conversation-label'));
    await chat.conversations().first().getByTestId('conversation-open').click();
    await chat.page.getByTestId('rename-button').click();
    const input = chat.page.getByTestId('title-input');
    assert.equal(await chat.focused(), 'title-input');
    await input.fill('Red circles and a square');
    await input.press('Enter');
    await chat.page.waitForFunction(() => document.title === 'Red circles and a square — BLIP chat');
    assert.equal(await textOf(chat.page.getByTestId('conversation-title')), 'Red circles and a square');
    await chat.page.waitForFunction(
      () => document.activeElement?.getAttribute('data-testid') === 'rename-button',
    );
    await chat
      .conversations()
      .first()
      .getByTestId('conversation-label')
      .filter({ hasText: 'Red circles' })
      .waitFor();

    const search = chat.page.getByTestId('search-conversations');
    await search.fill('red circles');
    await chat.page.waitForFunction(
      () => document.querySelectorAll('[data-testid="conversation-item"]').length === 1,
    );
    assert.equal(
      await textOf(chat.conversations().first().getByTestId('conversation-label')),
      'Red circles and a square',
    );
    await search.fill('Conversation 5');
    // "Conversation 5" and "Conversation 50" … "Conversation 55", but not the one renamed above.
    const expected = ['Conversation 5', ...[50, 51, 52, 53, 54, 55].map((n) => `Conversation ${n}`)].filter(
      (t) => t !== old,
    );
    await chat.page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="conversation-item"]').length === n,
      expected.length,
    );
    const shown = await chat.page.getByTestId('conversation-label').allTextContents();
    assert.deepEqual([...shown].map((t) => t.trim()).sort(), [...expected].sort());
    await search.fill('no such thing anywhere');
    await chat.page.getByTestId('conversations-empty').waitFor();
    assert.match(await textOf(chat.page.getByTestId('conversations-empty')), /No conversation matches/);
    await search.fill('');
    await chat.conversations().nth(49).waitFor();
  });

  test('delete can be undone, and the next row never slides under the pointer', async () => {
    await chat.goto('/');
    await chat.conversations().nth(2).waitFor();
    const row = chat.conversations().nth(1);
    const victim = await textOf(row.getByTestId('conversation-open'));
    const nextDelete = chat.conversations().nth(2).getByTestId('delete-conversation');
    const before = await nextDelete.boundingBox();
    await row.getByTestId('delete-conversation').click();
    const placeholder = chat.page.getByTestId('conversation-deleted');
    await placeholder.waitFor();
    // The focus is on Undo, and the row below has not moved.
    assert.equal(await chat.focused(), 'undo-delete');
    assert.deepEqual(
      await chat.conversations().nth(1).getByTestId('delete-conversation').boundingBox(),
      before,
    );
    await chat.page.keyboard.press('Enter');
    await chat.conversations().nth(1).getByTestId('conversation-open').waitFor();
    assert.equal(await textOf(chat.conversations().nth(1).getByTestId('conversation-open')), victim);

    // Deleted for good once the undo time is over: the mutation goes out, and a reload no longer shows it.
    const sent = chat.waitForOperation('Delete');
    await chat.conversations().nth(1).getByTestId('delete-conversation').click();
    await sent;
    await chat.page.reload();
    await chat.conversations().nth(1).waitFor();
    assert.notEqual(await textOf(chat.conversations().nth(1).getByTestId('conversation-open')), victim);

    // Closing the page within the undo time still deletes: the pending deletion goes out (keepalive) as it closes.
    const last = await textOf(chat.conversations().nth(1).getByTestId('conversation-label'));
    await chat.conversations().nth(1).getByTestId('delete-conversation').click();
    await chat.page.getByTestId('conversation-deleted').waitFor();
    await chat.page.close({ runBeforeUnload: true });
    const count = async () =>
      (
        await graphql<{ conversations: { totalCount: number } }>(
          stack.api.url,
          OWNER,
          'query($s: String) { conversations(search: $s) { totalCount } }',
          { s: last },
        )
      ).conversations.totalCount;
    // Waits for the server to have it (the request outlives the page); polled, as the test cannot see that request.
    while ((await count()) > 0) await new Promise((r) => setTimeout(r, 100));
  });
});
