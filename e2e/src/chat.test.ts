// End to end: the real API (real OpenVINO) and the built web app on loopback, driven through Debian's Chromium.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { pickCorrectSample } from './demoPick.js';
import { ChatPage, textOf } from './pages/chat.js';
import { DEMO_MODEL, demoModelPresent, demoSamples, SAMPLES_DIR, TINY_MODEL } from './samples.js';
import { REPO, type Running, startApi, startWeb } from './servers.js';

/** Upload limit the API runs with here, so the oversize file stays small. */
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;
/** A picture of coloured shapes from the engine's fixtures, for runs without the demo model. */
const FIXTURE_IMAGE = join(REPO, 'models', 'fixtures', 'images', 'shapes-640x480.png');
/** Tokens of the captions watched and stopped on tiny-vqa (its 128 positions allow 127; ~9 ms each on 2 busy cores). */
const LONG_CAPTION_TOKENS = 120;

const demo = demoModelPresent();
let api: Running;
let web: Running;
let browser: Browser;
let context: BrowserContext;
let chat: ChatPage;

describe('chat UI end to end', { timeout: 600_000 }, () => {
  before(async () => {
    const models = demo && DEMO_MODEL !== TINY_MODEL ? `${DEMO_MODEL},${TINY_MODEL}` : TINY_MODEL;
    // One generation at a time and no queue, so a second concurrent question is refused with OVERLOADED.
    api = await startApi({
      BLIP_MODELS: models,
      MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
      BLIP_CONCURRENCY: '1',
      BLIP_MAX_QUEUE: '0',
    });
    web = await startWeb(api.url, { BLIP_SAMPLES_DIR: SAMPLES_DIR });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    chat = new ChatPage(await context.newPage(), web.url);
    chat.page.on('pageerror', (err) => console.error('page error:', err));
  });

  after(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
  });

  test('the empty page offers a picker (and the demo samples when they exist)', async () => {
    await chat.goto();
    await chat.page.getByTestId('drop-zone').waitFor();
    assert.equal(await chat.sendButton().isDisabled(), true);
    await chat.page.getByTestId('conversations-empty').waitFor();
    if (demo) {
      await chat.page.getByTestId('sample').first().waitFor();
      await chat.page.waitForFunction(() =>
        [...document.querySelectorAll<HTMLImageElement>('[data-testid="sample"] img')].every(
          (img) => img.complete && img.naturalWidth > 0,
        ),
      );
    }
    await chat.screenshot('01-empty');
  });

  test('caption first, then two follow-up questions, answered and streamed', async (t) => {
    let expected: { caption: string | null; questions: { question: string; answer: string }[] } | null = null;
    if (demo) {
      const picked = await pickCorrectSample(api.url, SAMPLES_DIR, demoSamples());
      assert.ok(
        picked,
        'the demo model answers both questions of at least one sample as samples.json records',
      );
      t.diagnostic(
        `sample ${picked.sample.file}: model caption "${picked.modelCaption}", samples.json "${picked.sample.caption}"`,
      );
      expected = { caption: picked.modelCaption, questions: picked.sample.questions };
      await chat.chooseSample(picked.sample.file);
    } else {
      await chat.uploadImage(FIXTURE_IMAGE);
    }
    await chat.page.getByTestId('image-preview').waitFor();
    assert.equal(await chat.waitForFinished(0), 'COMPLETED');
    const caption = await chat.answerText(0);
    assert.ok(caption.length > 0, 'the caption has text');
    if (expected?.caption) assert.equal(caption, expected.caption);

    const questions = expected?.questions.slice(0, 2) ?? [
      { question: 'how many circles are there?', answer: '' },
      { question: 'what color is the square?', answer: '' },
    ];
    for (const [i, qa] of questions.entries()) {
      // With a sample, the second question is asked by clicking its suggestion chip; otherwise both are typed.
      if (expected && i === 1) await chat.askSuggestion(qa.question);
      else await chat.ask(qa.question);
      assert.equal(await chat.waitForFinished(i + 1), 'COMPLETED');
      const answer = await chat.answerText(i + 1);
      if (expected) assert.equal(answer, qa.answer, `answer to "${qa.question}"`);
      else assert.ok(answer.length > 0, 'tiny-vqa streamed some text');
      assert.equal(
        await textOf(
          chat
            .messages()
            .nth(i + 1)
            .getByTestId('message-question'),
        ),
        qa.question,
      );
      // The live region announces the finished answer for screen readers.
      assert.equal(await textOf(chat.liveRegion()), `Answer: ${answer}`);
    }
    assert.match(await textOf(chat.messages().nth(2).getByTestId('timings')), /first token \d+ ms · total/);
    await chat.screenshot('03-finished');
  });

  test('a caption grows token by token in the live region', async () => {
    await chat.page.getByTestId('new-conversation').click();
    await chat.setSettings({ model: 'tiny-vqa', maxNewTokens: LONG_CAPTION_TOKENS });
    await chat.watchLiveRegion();
    await chat.uploadImage(FIXTURE_IMAGE);
    await chat.page.waitForFunction(() => {
      const seen = (window as unknown as { __seen: string[] }).__seen;
      return new Set(seen.filter(Boolean)).size >= 3;
    });
    await chat.screenshot('02-streaming');
    assert.equal(await chat.waitForFinished(0), 'COMPLETED');
    const final = await chat.answerText(0);
    const seen = [...new Set((await chat.readSeen()).map((s) => s.trim()).filter(Boolean))];
    const partial = seen.filter((s) => s !== final);
    assert.ok(
      partial.length >= 2,
      `saw ${partial.length} partial texts before the end: ${JSON.stringify(seen)}`,
    );
    for (const text of partial)
      assert.ok(final.startsWith(text), `"${text}" is a prefix of the final "${final}"`);
  });

  test('stop cancels generation mid-way: the text stops growing and the turn is marked stopped', async () => {
    await chat.armStopOnFirstText();
    await chat.messages().nth(0).getByTestId('regenerate-button').click();
    const message = chat.messages().nth(1);
    await chat.page.waitForFunction(
      (el) => el?.getAttribute('data-status') !== 'STREAMING',
      await message.elementHandle(),
    );
    assert.equal(await message.getAttribute('data-status'), 'CANCELLED');
    const atStop = await chat.answerText(1);
    await chat.page.waitForTimeout(1500);
    assert.equal(await chat.answerText(1), atStop, 'no text arrives after stop');
    assert.match(await textOf(message.getByTestId('message-status')), /Stopped/);
    assert.ok(atStop.split(' ').length < LONG_CAPTION_TOKENS, 'stopped before the token limit');
    await chat.sendButton().waitFor();

    // The server recorded the cancellation (the stream's end reached the engine), with the partial answer.
    await chat.page.reload();
    await chat.messages().nth(1).waitFor();
    assert.equal(await chat.messages().nth(1).getAttribute('data-status'), 'CANCELLED');
    const stored = await chat.answerText(1);
    assert.ok(
      stored.startsWith(atStop.slice(0, -1)),
      `stored "${stored}" begins with what was shown "${atStop}"`,
    );
  });

  test('Escape stops a streaming answer from the keyboard', async () => {
    await chat.armStopOnFirstText('escape');
    // Started from the keyboard too: Enter on the focused Regenerate button.
    await chat.messages().nth(0).getByTestId('regenerate-button').focus();
    await chat.page.keyboard.press('Enter');
    const last = chat.lastMessage();
    await chat.page.waitForFunction(
      (el) => el?.getAttribute('data-status') !== 'STREAMING',
      await last.elementHandle(),
    );
    assert.equal(await last.getAttribute('data-status'), 'CANCELLED');
  });

  test('two generations at once on one slot with no queue: one is refused with a friendly message', async () => {
    // A second tab on the same conversation; both tabs ask at the same moment.
    const other = new ChatPage(await context.newPage(), web.url);
    const here = new URL(chat.page.url());
    await other.goto(here.pathname + here.search);
    await other.messages().first().waitFor();
    await other.questionInput().fill('are you busy?');
    const n = await chat.messages().count();
    // Order matters: the long caption must hold the only slot when the short question arrives. Sent together, the
    // question could win the race and finish in milliseconds, leaving the slot free again (seen on an idle machine).
    await chat.armFlagOnFirstText();
    await chat.messages().nth(0).getByTestId('regenerate-button').click();
    await chat.waitForFlag();
    await other.questionInput().press('Enter');
    const mine = chat.messages().nth(n);
    const theirs = other.lastMessage();
    const ended = (el: Element | null) => !!el && el.getAttribute('data-status') !== 'STREAMING';
    await chat.page.waitForFunction(ended, await mine.elementHandle());
    await other.page.waitForFunction(ended, await theirs.elementHandle());
    const statuses = [await mine.getAttribute('data-status'), await theirs.getAttribute('data-status')];
    assert.deepEqual([...statuses].sort(), ['COMPLETED', 'FAILED'], `one ran, one was refused: ${statuses}`);
    const [refusedPage, refused] = statuses[0] === 'FAILED' ? [chat, mine] : [other, theirs];
    assert.match(await textOf(refused.getByTestId('message-error')), /server is busy/);
    await refusedPage.screenshot('07-error-overloaded');
    await other.page.close();
  });

  test('reload keeps the conversations, and the list reopens the first one', async () => {
    const count = await chat.messages().count();
    await chat.page.reload();
    await chat
      .messages()
      .nth(count - 1)
      .waitFor();
    assert.equal(await chat.messages().count(), count);
    await chat.goto('/');
    await chat.conversations().nth(1).waitFor();
    assert.equal(await chat.conversations().count(), 2);
    await chat.conversations().last().getByTestId('conversation-open').click();
    await chat.messages().nth(2).waitFor();
    assert.equal(await chat.messages().count(), 3);
  });

  test('an image can be dropped on the page or pasted into it', async () => {
    const png = readFileSync(FIXTURE_IMAGE).toString('base64');
    for (const how of ['drop', 'paste'] as const) {
      await chat.page.getByTestId('new-conversation').click();
      await chat.page.getByTestId('drop-zone').waitFor();
      await chat.page.evaluate(
        ({ how, png }) => {
          const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
          const data = new DataTransfer();
          data.items.add(new File([bytes], `${how}.png`, { type: 'image/png' }));
          const target = document.querySelector('[data-testid="chat"]') as HTMLElement;
          if (how === 'drop')
            target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true }));
          else window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
        },
        { how, png },
      );
      await chat.page.getByTestId('image-preview').waitFor();
      assert.equal(await chat.waitForFinished(0), 'COMPLETED', `caption after ${how}`);
    }
  });

  test('beam search shows scored alternatives, and the settings stay with the conversation', async () => {
    await chat.setSettings({ strategy: 'BEAM', numBeams: 3 });
    const n = await chat.messages().count();
    await chat.ask('what is in the picture?');
    assert.equal(await chat.waitForFinished(n), 'COMPLETED');
    const alternatives = chat.messages().nth(n).getByTestId('alternatives');
    await alternatives.locator('summary').click();
    assert.equal(await alternatives.getByTestId('alternative').count(), 3);
    for (const text of await alternatives.getByTestId('alternative').allTextContents()) {
      assert.match(text, /score -?\d+\.\d{3}$/);
    }
    // Saved with the conversation by the API, so a reload brings them back.
    await chat.page.waitForTimeout(800);
    await chat.page.reload();
    await chat.messages().nth(n).waitFor();
    await chat.page.getByTestId('settings-toggle').click();
    assert.equal(await chat.page.getByTestId('setting-strategy').inputValue(), 'BEAM');
    assert.equal(await chat.page.getByTestId('setting-numBeams').inputValue(), '3');
    await chat.page.getByTestId('setting-strategy').selectOption('GREEDY');
    await chat.page.getByTestId('settings-close').click();
  });

  test('copy puts an answer on the clipboard; delete removes a conversation from the list', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url });
    const first = chat.messages().first();
    await first.getByTestId('copy-button').click();
    await chat.page.waitForFunction(
      (el) => el?.textContent === 'Copied',
      await first.getByTestId('copy-button').elementHandle(),
    );
    const copied = await chat.page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await chat.answerText(0));

    await chat.conversations().first().waitFor();
    const before = await chat.conversations().count();
    await chat.conversations().last().getByTestId('delete-conversation').click();
    await chat.page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="conversation-item"]').length === n,
      before - 1,
    );
  });

  test('a file that is not an image, a broken image and an oversize one each get a clear message', async () => {
    await chat.page.getByTestId('new-conversation').click();
    await chat.uploadBytes('notes.txt', 'text/plain', Buffer.from('hello'));
    await chat.errorBanner().waitFor();
    assert.match(await textOf(chat.errorBanner()), /notes\.txt.*not an image/);

    // Looks like a PNG to the browser; the server sniffs and decodes it and refuses.
    await chat.uploadBytes('broken.png', 'image/png', Buffer.from('this is not really a png'));
    await chat.page.waitForSelector('[data-testid="error-banner"][data-code="INVALID_IMAGE"]');
    assert.match(await textOf(chat.errorBanner()), /could not be read as an image/);
    await chat.screenshot('04-error-bad-file');

    await chat.uploadBytes('huge.png', 'image/png', Buffer.alloc(MAX_UPLOAD_BYTES + 1));
    await chat.page.waitForSelector('[data-testid="error-banner"][data-code="IMAGE_TOO_LARGE"]');
    assert.match(await textOf(chat.errorBanner()), /huge\.png.*2 MB.*limit is 2 MB/);
    await chat.page.getByTestId('error-dismiss').click();
    assert.equal(await chat.errorBanner().count(), 0);
  });

  test('on a phone-sized screen the chat fits and the list opens from the menu button', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    try {
      // Same browser key, so the same conversations.
      const key = await chat.page.evaluate(() => localStorage.getItem('blip.ownerKey'));
      await phone.addInitScript((k) => localStorage.setItem('blip.ownerKey', k as string), key);
      const small = new ChatPage(await phone.newPage(), web.url);
      await small.goto('/');
      await small.page.getByTestId('list-toggle').click();
      await small.conversations().first().getByTestId('conversation-open').click();
      await small.messages().first().waitFor();
      const width = await small.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no sideways scrolling (page is ${width}px wide)`);
      assert.ok(await small.questionInput().isVisible());
      await small.screenshot('05-phone');
    } finally {
      await phone.close();
    }
  });

  test('when the API is down the page says so and keeps the typed question', async () => {
    await chat.goto('/');
    await chat.conversations().first().getByTestId('conversation-open').click();
    await chat.messages().first().waitFor();
    await api.stop();
    await chat.ask('is anyone there?');
    const failed = chat.lastMessage();
    await chat.page.waitForFunction(
      (el) => el?.getAttribute('data-status') === 'FAILED',
      await failed.elementHandle(),
    );
    assert.match(await textOf(failed.getByTestId('message-error')), /Cannot reach the answer server/);
    assert.equal(await textOf(failed.getByTestId('message-question')), 'is anyone there?');

    const draft = 'a question typed while the server is away';
    await chat.questionInput().fill(draft);
    await chat.page.reload();
    await chat.errorBanner().waitFor();
    assert.match(await textOf(chat.errorBanner()), /Cannot reach the answer server/);
    assert.equal(await chat.questionInput().inputValue(), draft);
    await chat.page.getByTestId('conversations-unavailable').waitFor();
    await chat.screenshot('06-error-server-down');
  });
});
