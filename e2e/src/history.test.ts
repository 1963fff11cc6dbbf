// The conversation list and the address: Back and Forward between conversations, the tab title, "load more" past
// the first page, dates, "+ New conversation" always in reach, and delete with undo that never moves a row under
// the pointer.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeConversations, uploadAs } from './apiClient.js';
import type { ChatPage } from './pages/chat.js';
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
    assert.match(await chat.conversations().first().getByTestId('conversation-date').innerText(), /\d/);
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
      const label = await row.getByTestId('conversation-label').innerText();
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

  test('delete can be undone, and the next row never slides under the pointer', async () => {
    await chat.goto('/');
    await chat.conversations().nth(2).waitFor();
    const row = chat.conversations().nth(1);
    const victim = await row.getByTestId('conversation-open').innerText();
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
    assert.equal(await chat.conversations().nth(1).getByTestId('conversation-open').innerText(), victim);

    // Deleted for good once the undo time is over: the mutation goes out, and a reload no longer shows it.
    const sent = chat.waitForOperation('Delete');
    await chat.conversations().nth(1).getByTestId('delete-conversation').click();
    await sent;
    await chat.page.reload();
    await chat.conversations().nth(1).waitFor();
    assert.notEqual(await chat.conversations().nth(1).getByTestId('conversation-open').innerText(), victim);
  });
});
