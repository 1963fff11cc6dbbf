// Outages and settings: the API going away (a gate in front of it closes), coming back by itself, hanging; failed
// turns kept; out-of-range settings never sent; settings not carried over; an answer cut by max new tokens marked;
// the settings dialog with a backdrop that takes and gives back the focus.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type ChatPage, operationOf, textOf } from './pages/chat.js';
import { REPO } from './servers.js';
import { type Stack, startStack } from './stack.js';

const IMAGE = join(REPO, 'models', 'fixtures', 'images', 'shapes-640x480.png');

let stack: Stack;
let chat: ChatPage;

/** Matches /graphql with or without a query string (urql sends queries as GET). */
const isGraphql = (url: URL) => url.pathname === '/graphql';

/** Every GraphQL operation name the page sends from now on. */
function recordOperations(page: ChatPage['page']): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const op = operationOf(r);
    if (op) seen.push(op);
  });
  return seen;
}

describe('outages and settings', { timeout: 300_000 }, () => {
  before(async () => {
    stack = await startStack();
    chat = await stack.open();
    await chat.goto('/');
    await chat.uploadImage(IMAGE);
    assert.equal(await chat.waitForFinished(0), 'COMPLETED');
    await chat.page.waitForURL(/\?c=/);
  });

  after(async () => {
    await stack?.stop();
  });

  test('the settings dialog takes the focus, has a backdrop over Send, and gives the focus back on Escape', async () => {
    await chat.openSettings();
    assert.equal(await chat.focused(), 'setting-model');
    const send = await chat.sendButton().boundingBox();
    assert.ok(send);
    const hit = await chat.page.evaluate(
      ({ x, y }) => document.elementFromPoint(x, y)?.getAttribute('data-testid') ?? '',
      { x: send.x + send.width / 2, y: send.y + send.height / 2 },
    );
    assert.notEqual(hit, 'send-button', 'Send cannot be pressed by mistake under the open settings');
    await chat.page.keyboard.press('Escape');
    await chat.page.locator('[data-testid="settings-panel"][open]').waitFor({ state: 'detached' });
    assert.equal(await chat.focused(), 'settings-toggle');
  });

  test('out-of-range settings are marked, explained once, and never sent', async () => {
    const sent = recordOperations(chat.page);
    await chat.openSettings();
    await chat.page.getByTestId('setting-strategy').selectOption('BEAM');
    await chat.page.getByTestId('setting-numBeams').fill('99');
    await chat.page.getByTestId('invalid-numBeams').waitFor();
    await chat.page.keyboard.press('Escape');
    const note = chat.page.getByTestId('settings-problem');
    await note.waitFor();
    assert.match(await textOf(note), /numBeams must be \d+–\d+/);
    await chat.questionInput().fill('how many circles?');
    assert.equal(await chat.sendButton().isDisabled(), true);
    await chat.questionInput().press('Enter');
    const n = await chat.messages().count();
    // Fixing it lets the question go; until then nothing was sent, neither the question nor the settings.
    await chat.openSettings();
    await chat.page.getByTestId('setting-numBeams').fill('3');
    await chat.page.keyboard.press('Escape');
    await note.waitFor({ state: 'detached' });
    assert.deepEqual(
      sent.filter((op) => op === 'AnswerStream' || op === 'UpdateSettings'),
      [],
      'nothing left the browser while a setting was out of range',
    );
    await chat.sendButton().click();
    assert.equal(await chat.waitForFinished(n), 'COMPLETED');
    assert.equal(await chat.page.getByTestId('error-banner').count(), 0);
  });

  test('an answer cut by max new tokens says so; the settings stay with their conversation only', async () => {
    const saved = chat.waitForOperation('UpdateSettings');
    await chat.setSettings({ strategy: 'GREEDY', maxNewTokens: 1 });
    await saved;
    const n = await chat.messages().count();
    await chat.ask('what is in the picture?');
    assert.equal(await chat.waitForFinished(n), 'COMPLETED');
    await chat.messages().nth(n).getByTestId('cut-marker').waitFor();

    await chat.page.getByTestId('new-conversation').click();
    await chat.openSettings();
    assert.equal(
      await chat.page.getByTestId('setting-maxNewTokens').inputValue(),
      '',
      'a new conversation starts fresh',
    );
    assert.equal(await chat.page.getByTestId('setting-strategy').inputValue(), 'GREEDY');
    await chat.page.keyboard.press('Escape');
    await chat.page.goBack();
    await chat.messages().nth(n).waitFor();
    await chat.setSettings({ maxNewTokens: 20 });
  });

  test('with the API down: the turn fails clearly, survives a reload with ?c=, and the page reconnects by itself', async () => {
    const address = chat.page.url();
    stack.gate.set('down');
    const n = await chat.messages().count();
    await chat.ask('is anyone there?');
    assert.equal(await chat.waitForFinished(n), 'FAILED');
    const failed = chat.messages().nth(n);
    assert.match(await textOf(failed.getByTestId('message-error')), /Cannot reach the answer server/);

    const draft = 'a question typed while the server is away';
    await chat.questionInput().fill(draft);
    await chat.page.reload();
    await chat.page.getByTestId('reconnecting').waitFor();
    assert.equal(chat.page.url(), address, '?c= stays while the server is away');
    assert.equal(await chat.questionInput().inputValue(), draft);
    await chat.page.getByTestId('conversations-unavailable').waitFor();

    stack.gate.set('open');
    // No click: the page notices the server is back, reopens the conversation and lists the conversations.
    await chat.messages().nth(n).waitFor({ timeout: 60_000 });
    await chat.errorBanner().waitFor({ state: 'detached' });
    await chat.conversations().first().waitFor();
    const kept = chat.messages().nth(n);
    assert.equal(await kept.getAttribute('data-status'), 'FAILED');
    assert.equal(await textOf(kept.getByTestId('message-question')), 'is anyone there?');
    assert.match(await textOf(kept.getByTestId('message-status')), /never reached the server/);
    await kept.getByTestId('retry-button').click();
    assert.equal(await chat.waitForFinished(n), 'COMPLETED');
  });

  test('answers below the threshold, or outside what the model knows, are marked; a stopped turn reloads honestly', async () => {
    // What the API returns, changed on the way in (routed responses): a model that publishes a card and a threshold,
    // turns with confidences, and a stopped turn that never got a token. The page must mark exactly those.
    const n = await chat.messages().count();
    await chat.ask('what is the weather like?');
    assert.equal(await chat.waitForFinished(n), 'COMPLETED');
    const outside = await chat.answerText(n);
    await chat.page.route(isGraphql, async (route) => {
      const op = operationOf(route.request());
      if (op !== 'Start' && op !== 'Conversation') return route.fallback();
      const res = await route.fetch();
      const json = await res.json();
      if (op === 'Start')
        for (const m of json.data.models) {
          m.confidenceThreshold = 0.5;
          m.card = {
            summary: 'Shapes.',
            outsideAnswer: outside,
            questionTypes: [{ name: 'count', examples: ['how many?'] }],
          };
        }
      else {
        const turns = json.data.conversation.turns;
        for (const t of turns) if (t.status === 'COMPLETED') t.confidence = 0.9;
        const low = turns.find(
          (t: { kind: string; status: string; answer: string }) =>
            t.kind === 'QUESTION' && t.status === 'COMPLETED' && t.answer !== outside,
        );
        low.confidence = 0.2;
        turns.push({
          ...low,
          id: 'stopped-turn',
          index: turns.length,
          status: 'CANCELLED',
          answer: '',
          tokenIds: [],
          confidence: null,
          finishReason: 'CANCELLED',
          timings: { firstTokenMs: 0, totalMs: 345, perTokenMs: 0, queueMs: 0, visionMs: 0 },
        });
      }
      await route.fulfill({ response: res, json });
    });
    await chat.page.reload();
    await chat.lastMessage().waitFor();
    const marks = await chat.page
      .getByTestId('trust-marker')
      .evaluateAll((els) =>
        els.map((e) => [
          e
            .closest('[data-testid="message"]')
            ?.querySelector('[data-testid="message-answer"]')
            ?.textContent?.trim(),
          e.getAttribute('data-trust'),
        ]),
      );
    assert.ok(
      marks.some(([text, kind]) => text === outside && kind === 'outside'),
      `outside marked: ${JSON.stringify(marks)}`,
    );
    assert.equal(
      marks.filter(([, kind]) => kind === 'low').length,
      1,
      `one low-confidence mark: ${JSON.stringify(marks)}`,
    );
    const stopped = chat.lastMessage();
    assert.equal(await stopped.getAttribute('data-status'), 'CANCELLED');
    const timings = await textOf(stopped.getByTestId('timings'));
    assert.equal(timings, 'stopped after 345 ms', 'no "first token 0 ms" for a turn that never had a token');
    // The card the model publishes is shown beside the conversation, and its examples are offered as questions.
    await chat.page.getByTestId('model-card').locator('summary').click();
    await chat.page.getByTestId('model-card-type').first().waitFor();
    await chat.page.getByTestId('suggestion').filter({ hasText: 'how many?' }).waitFor();
    await chat.page.unroute(isGraphql);
    await chat.page.reload();
    await chat.lastMessage().waitFor();
  });

  test('a hung API is noticed soon and said plainly; Stop gives up', async () => {
    stack.gate.set('hung');
    const n = await chat.messages().count();
    await chat.ask('are you still there?');
    const progress = chat.messages().nth(n).locator('[data-testid="message-progress"][data-stage="stalled"]');
    await progress.waitFor();
    assert.match(await textOf(progress), /not responding/);
    await chat.stopButton().click();
    assert.equal(await chat.messages().nth(n).getAttribute('data-status'), 'CANCELLED');
    stack.gate.set('open');
  });
});
