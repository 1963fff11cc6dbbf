// End to end: the real API (real OpenVINO) and the built web app, driven through Debian's Chromium. The core flows:
// caption and questions, streaming, stop, regenerate and edit in place, overload, drop and paste, beam search, bad files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pickCorrectSample } from './demoPick.js';
import { ChatPage, textOf } from './pages/chat.js';
import { demoSamples, SAMPLES_DIR } from './samples.js';
import { REPO } from './servers.js';
import { MAX_UPLOAD_BYTES, type Stack, startStack } from './stack.js';

/** A picture of coloured shapes from the engine's fixtures, for runs without the demo model. */
export const FIXTURE_IMAGE = join(REPO, 'models', 'fixtures', 'images', 'shapes-640x480.png');
/** Tokens of the captions watched and stopped on tiny-vqa (its 128 positions allow 127). */
const LONG_CAPTION_TOKENS = 120;

let stack: Stack;
let chat: ChatPage;

/** Drops (or pastes) files made from `files` onto the chat, as a person dragging them from a folder would. */
async function dropFiles(
  page: ChatPage['page'],
  how: 'drop' | 'paste',
  files: { name: string; png: string }[],
) {
  await page.evaluate(
    ({ how, files }) => {
      const data = new DataTransfer();
      for (const f of files) {
        const bytes = Uint8Array.from(atob(f.png), (c) => c.charCodeAt(0));
        data.items.add(new File([bytes], f.name, { type: 'image/png' }));
      }
      const target = document.querySelector('[data-testid="chat"]') as HTMLElement;
      if (how === 'drop') target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true }));
      else window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
    },
    { how, files },
  );
}

describe('chat UI end to end', { timeout: 600_000 }, () => {
  before(async () => {
    stack = await startStack();
    chat = await stack.open();
    await ChatPage.installStreamHold(chat.page);
  });

  after(async () => {
    await stack?.stop();
  });

  test('the empty page offers a picker (and the demo samples when they exist)', async () => {
    await chat.goto();
    await chat.page.getByTestId('drop-zone').waitFor();
    assert.equal(await chat.sendButton().isDisabled(), true);
    await chat.page.getByTestId('conversations-empty').waitFor();
    if (stack.demo) {
      await chat.page.getByTestId('sample').first().waitFor();
      await chat.page.waitForFunction(() =>
        [...document.querySelectorAll<HTMLImageElement>('[data-testid="sample"] img')].every(
          (img) => img.complete && img.naturalWidth > 0,
        ),
      );
    }
    assert.equal(await chat.page.title(), 'BLIP chat');
    // What the model knows, from its folder (or that its folder does not say).
    await chat.page.getByTestId('model-card').waitFor();
    if ((await chat.page.getByTestId('model-card').getAttribute('data-has-card')) === 'true')
      await chat.page.getByTestId('model-card-type').first().waitFor();
    else await chat.page.getByTestId('model-card-none').waitFor();
  });

  test('caption first, then two follow-up questions, answered and streamed; focus stays in the question box', async (t) => {
    let expected: { caption: string | null; questions: { question: string; answer: string }[] } | null = null;
    if (stack.demo) {
      const picked = await pickCorrectSample(stack.api.url, SAMPLES_DIR, demoSamples());
      assert.ok(
        picked,
        'the demo model answers both questions of at least one sample as samples.json records',
      );
      t.diagnostic(`sample ${picked.sample.file}: model caption "${picked.modelCaption}"`);
      expected = { caption: picked.modelCaption, questions: picked.sample.questions };
      await chat.chooseSample(picked.sample.file);
    } else {
      await chat.uploadImage(FIXTURE_IMAGE);
    }
    await chat.page.getByTestId('image-preview').waitFor();
    // Item 4: after choosing a sample the cursor is in the question box, ready to type.
    assert.equal(await chat.focused(), 'question-input');
    assert.equal(await chat.waitForFinished(0), 'COMPLETED');
    const caption = await chat.answerText(0);
    assert.ok(caption.length > 0, 'the caption has text');
    if (expected?.caption) assert.equal(caption, expected.caption);
    // The tab is named after the conversation.
    assert.equal(await chat.page.title(), `${caption} — BLIP chat`);

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
      assert.equal(await textOf(chat.liveRegion()), `Answer: ${answer}`);
      assert.equal(await chat.focused(), 'question-input', 'focus is back in the question box');
    }
    // A suggestion that was asked is no longer offered.
    if (expected) {
      const offered = await chat.page.getByTestId('suggestion').allTextContents();
      for (const qa of questions) assert.ok(!offered.includes(qa.question), `"${qa.question}" was asked`);
    }
    assert.match(await textOf(chat.messages().nth(2).getByTestId('timings')), /first token \d+ ms · total/);
  });

  test('Send by click keeps the focus in the question box', async () => {
    const n = await chat.messages().count();
    await chat.questionInput().fill('how many shapes are there?');
    await chat.sendButton().click();
    assert.equal(await chat.focused(), 'question-input');
    assert.equal(await chat.waitForFinished(n), 'COMPLETED');
  });

  test('regenerate replaces the answer in place, with versions to step through; an edited question too', async () => {
    const n = await chat.messages().count();
    const slot = chat.messages().nth(1);
    const first = await chat.answerText(1);
    await slot.getByTestId('regenerate-button').click();
    await chat.page.waitForFunction(
      (el) => el?.getAttribute('data-version') === '2/2',
      await slot.elementHandle(),
    );
    assert.equal(await chat.waitForFinished(1), 'COMPLETED');
    assert.equal(await chat.messages().count(), n, 'no new message at the bottom');
    await slot.getByTestId('version-previous').click();
    assert.equal(await slot.getAttribute('data-version'), '1/2');
    assert.equal(await chat.answerText(1), first);
    await slot.getByTestId('version-next').click();

    // Edit the question of the same place and ask again: a third version, with the new question.
    await slot.getByTestId('edit-question').click();
    assert.equal(await chat.focused(), 'edit-input');
    await slot.getByTestId('edit-input').fill('what shapes are there?');
    await slot.getByTestId('edit-input').press('Enter');
    await chat.page.waitForFunction(
      (el) => el?.getAttribute('data-version') === '3/3',
      await slot.elementHandle(),
    );
    assert.equal(await chat.waitForFinished(1), 'COMPLETED');
    assert.equal(await textOf(slot.getByTestId('message-question')), 'what shapes are there?');
    assert.equal(await chat.messages().count(), n);
    // A reload shows the versions in place again.
    await chat.page.reload();
    await chat.messages().nth(1).waitFor();
    assert.equal(await chat.messages().count(), n);
    assert.equal(await chat.messages().nth(1).getAttribute('data-version'), '3/3');
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

  test('stop cancels generation mid-way: the text stops growing, the turn is marked stopped, focus returns', async () => {
    // A new version of the caption, held in the page once some text has shown: mid-answer whatever the model's speed.
    const message = chat.messages().first();
    await chat.holdNextStream('CaptionStream');
    await message.getByTestId('regenerate-button').click();
    await chat.waitForHeld();
    await chat.page.waitForFunction(
      (el) => el?.getAttribute('data-version') === '2/2',
      await message.elementHandle(),
    );
    const shown = await chat.answerText(0);
    assert.ok(shown.length > 0, 'some text is shown');
    assert.equal(await message.getAttribute('data-status'), 'STREAMING');
    await chat.stopButton().click();
    assert.equal(await message.getAttribute('data-status'), 'CANCELLED');
    assert.equal(await chat.focused(), 'question-input', 'focus is back in the question box after Stop');
    // Stop aborted the request (which is what cancels the generation on the server): nothing more can arrive.
    await chat.waitForAborted();
    await chat.releaseStream();
    assert.equal(await chat.answerText(0), shown);
    assert.match(await textOf(message.getByTestId('message-status')), /Stopped — partial answer/);
    await chat.sendButton().waitFor();
  });

  test('Escape stops a streaming answer from the keyboard', async () => {
    // Started from the keyboard too: Enter on the focused Regenerate button of the caption.
    const caption = chat.messages().first();
    await chat.holdNextStream('CaptionStream');
    await caption.getByTestId('regenerate-button').focus();
    await chat.page.keyboard.press('Enter');
    await chat.waitForHeld();
    assert.equal(await caption.getAttribute('data-status'), 'STREAMING');
    await chat.page.keyboard.press('Escape');
    assert.equal(await caption.getAttribute('data-status'), 'CANCELLED');
    await chat.releaseStream();
  });

  test('a refused question (server busy) gets a friendly message, and is still there after a reload', async () => {
    // The refusal is a routed response: the browser gets exactly what the API sends when its queue is full, at once,
    // whatever the machine's speed. (The API's own tests drive a real full queue with a held generation.)
    await chat.page.route('**/graphql', async (route) => {
      if (!(route.request().postData() ?? '').includes('"operationName":"AnswerStream"'))
        return route.fallback();
      const error = { errors: [{ message: 'queue full', extensions: { code: 'OVERLOADED' } }] };
      await route.fulfill({
        status: 200,
        contentType: 'text/event-stream',
        body: `event: next\ndata: ${JSON.stringify(error)}\n\nevent: complete\ndata:\n\n`,
      });
    });
    const n = await chat.messages().count();
    await chat.ask('are you busy?');
    assert.equal(await chat.waitForFinished(n), 'FAILED');
    const refused = chat.messages().nth(n);
    assert.match(await textOf(refused.getByTestId('message-error')), /server is busy/);
    await chat.page.unroute('**/graphql');

    await chat.page.reload();
    await chat.messages().nth(n).waitFor();
    const kept = chat.lastMessage();
    assert.equal(await kept.getAttribute('data-status'), 'FAILED');
    assert.equal(await textOf(kept.getByTestId('message-question')), 'are you busy?');
    // Asked again, it is answered and takes the failed one's place.
    const count = await chat.messages().count();
    await kept.getByTestId('retry-button').click();
    assert.equal(await chat.waitForFinished(count - 1), 'COMPLETED');
    assert.equal(await chat.messages().count(), count);
  });

  test('an image can be dropped on the page or pasted into it; two dropped files are handled explicitly', async () => {
    const png = readFileSync(FIXTURE_IMAGE).toString('base64');
    for (const how of ['drop', 'paste'] as const) {
      await chat.page.getByTestId('new-conversation').click();
      await chat.page.getByTestId('drop-zone').waitFor();
      await dropFiles(chat.page, how, [{ name: `${how}.png`, png }]);
      await chat.page.getByTestId('image-preview').waitFor();
      assert.equal(await chat.waitForFinished(0), 'COMPLETED', `caption after ${how}`);
    }
    await chat.page.getByTestId('new-conversation').click();
    await dropFiles(chat.page, 'drop', [
      { name: 'first.png', png },
      { name: 'second.png', png },
    ]);
    await chat.page.waitForSelector('[data-testid="error-banner"][data-code="SEVERAL_FILES"]');
    assert.match(await textOf(chat.errorBanner()), /2 files were dropped.*“first\.png” was used/);
    assert.equal(await chat.waitForFinished(0), 'COMPLETED');
    await chat.page.getByTestId('error-dismiss').click();
  });

  test('the image stays in view while asking and opens full size', async () => {
    const preview = chat.page.getByTestId('image-preview');
    for (let i = 0; i < 3; i++) {
      const n = await chat.messages().count();
      await chat.ask(`question number ${i + 1} about it?`);
      await chat.waitForFinished(n);
    }
    await chat.page.getByTestId('messages').evaluate((el) => el.parentElement?.scrollTo(0, 1e6));
    assert.ok(await preview.isVisible());
    const box = await preview.boundingBox();
    assert.ok(box && box.y >= 0 && box.y < 120, `the image stays at the top (y = ${box?.y})`);
    await chat.page.getByTestId('image-zoom').click();
    const zoomed = chat.page.getByTestId('image-zoomed');
    await zoomed.waitFor();
    const small = await chat.page.getByTestId('image-zoom').locator('img').boundingBox();
    const big = await zoomed.locator('img').boundingBox();
    assert.ok(
      big && small && big.width > small.width,
      `the zoomed image is larger (${big?.width} > ${small?.width})`,
    );
    await chat.page.keyboard.press('Escape');
    await zoomed.waitFor({ state: 'hidden' });
    // The list's thumbnails come from /images/<id>, which only the owner's cookie (set by the API) opens.
    await chat.page.waitForFunction(() => {
      const thumbs = [
        ...document.querySelectorAll<HTMLImageElement>('[data-testid="conversation-item"] img'),
      ];
      return thumbs.length > 0 && thumbs.every((img) => img.complete && img.naturalWidth > 0);
    });
  });

  test('beam search shows scored alternatives, and the settings stay with the conversation', async () => {
    const saved = chat.waitForOperation('UpdateSettings');
    await chat.setSettings({ strategy: 'BEAM', numBeams: 3 });
    await saved;
    const n = await chat.messages().count();
    await chat.ask('what is in the picture?');
    assert.equal(await chat.waitForFinished(n), 'COMPLETED');
    const alternatives = chat.messages().nth(n).getByTestId('alternatives');
    await alternatives.locator('summary').click();
    assert.equal(await alternatives.getByTestId('alternative').count(), 3);
    for (const text of await alternatives.getByTestId('alternative').allTextContents()) {
      assert.match(text, /score -?\d+\.\d{3}$/);
    }
    await chat.page.reload();
    await chat.messages().nth(n).waitFor();
    await chat.openSettings();
    assert.equal(await chat.page.getByTestId('setting-strategy').inputValue(), 'BEAM');
    assert.equal(await chat.page.getByTestId('setting-numBeams').inputValue(), '3');
    await chat.page.getByTestId('settings-close').click();
  });

  test('copy puts an answer on the clipboard', async () => {
    await chat.page
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.web.url });
    const first = chat.messages().first();
    await first.getByTestId('copy-button').click();
    await chat.page.waitForFunction(
      (el) => el?.textContent === 'Copied',
      await first.getByTestId('copy-button').elementHandle(),
    );
    assert.equal(await chat.page.evaluate(() => navigator.clipboard.readText()), await chat.answerText(0));
  });

  test('a bad file keeps the open conversation: not an image, a broken image, an oversize one', async () => {
    const address = chat.page.url();
    const count = await chat.messages().count();
    assert.match(address, /\?c=/);
    const keeps = async () => {
      assert.equal(chat.page.url(), address, '?c= stays');
      assert.equal(await chat.messages().count(), count, 'the messages stay');
      assert.equal(await chat.page.getByTestId('drop-zone').count(), 0);
    };
    await chat.uploadBytes('notes.txt', 'text/plain', Buffer.from('hello'));
    await chat.errorBanner().waitFor();
    assert.match(await textOf(chat.errorBanner()), /notes\.txt.*not an image/);
    await keeps();

    // Looks like a PNG to the browser; the server sniffs and decodes it and refuses.
    await chat.uploadBytes('broken.png', 'image/png', Buffer.from('this is not really a png'));
    await chat.page.waitForSelector('[data-testid="error-banner"][data-code="INVALID_IMAGE"]');
    assert.match(await textOf(chat.errorBanner()), /could not be read as an image/);
    await keeps();

    await chat.uploadBytes('huge.png', 'image/png', Buffer.alloc(MAX_UPLOAD_BYTES + 1));
    await chat.page.waitForSelector('[data-testid="error-banner"][data-code="IMAGE_TOO_LARGE"]');
    assert.match(await textOf(chat.errorBanner()), /huge\.png.*2 MB.*limit is 2 MB/);
    await keeps();
    await chat.page.getByTestId('error-dismiss').click();
    assert.equal(await chat.errorBanner().count(), 0);
  });

  test('progress before the first token: place in line, looking at the image, answering; then the tokens', async () => {
    // A scripted stream: the page's fetch answers with the events the test writes, exactly as the API sends them, so
    // each state is on screen until the test moves on (a real queue would come and go in milliseconds).
    const conversationId = new URL(chat.page.url()).searchParams.get('c');
    const n = await chat.messages().count();
    await chat.scriptNextStream('AnswerStream');
    await chat.ask('how many squares are there?');
    const event = (e: Record<string, unknown>) => ({ data: { answerStream: e } });
    const progress = chat.messages().nth(n).getByTestId('message-progress');
    const now = new Date().toISOString();
    await chat.pushEvents([
      event({
        __typename: 'StreamStarted',
        conversation: { id: conversationId, title: null, updatedAt: now },
        turn: { id: 'scripted-turn', index: n },
      }),
      event({ __typename: 'StreamQueued', position: 2 }),
    ]);
    await chat.page.waitForFunction(
      (el) => el?.textContent === '2nd in line…',
      await progress.elementHandle(),
    );
    await chat.pushEvents([event({ __typename: 'StreamQueued', position: 1 })]);
    await chat.page.waitForFunction(
      (el) => el?.textContent === '1st in line…',
      await progress.elementHandle(),
    );
    await chat.pushEvents([event({ __typename: 'StreamImage', source: 'ENCODER' })]);
    await chat.page.waitForFunction(
      (el) => el?.textContent === 'Looking at the image…',
      await progress.elementHandle(),
    );
    await chat.pushEvents([event({ __typename: 'StreamAnswering', at: now })]);
    await chat.page.waitForFunction((el) => el?.textContent === 'Answering…', await progress.elementHandle());
    await chat.pushEvents([event({ __typename: 'StreamToken', index: 0, delta: 'two' })]);
    await chat.page.waitForFunction(
      (el) => el?.querySelector('[data-testid="message-answer"]')?.textContent === 'two',
      await chat.messages().nth(n).elementHandle(),
    );
    assert.equal(await progress.count(), 0, 'the progress line gives way to the answer');
    const turn = {
      id: 'scripted-turn',
      index: n,
      kind: 'QUESTION',
      question: 'how many squares are there?',
      answer: 'two',
      status: 'COMPLETED',
      finishReason: 'EOS',
      confidence: 0.9,
      model: 'shapes-demo',
      alternatives: [{ text: 'two', score: -0.1 }],
      timings: { firstTokenMs: 12, totalMs: 20, perTokenMs: 4, queueMs: 5, visionMs: 3 },
      tokenIds: [1, 2],
      error: null,
    };
    await chat.pushEvents([event({ __typename: 'StreamCompleted', turn })], true);
    assert.equal(await chat.waitForFinished(n), 'COMPLETED');
    assert.equal(await chat.answerText(n), 'two');
  });
});
