// `npm run screenshots -w @blip/e2e`: the main states of the chat in both themes (and a phone), from the real stack,
// written to docs/screenshots/ for the README. Made by this script only, never by hand; tests never write there.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatPage } from './pages/chat.js';
import { demoSamples, SAMPLES_DIR } from './samples.js';
import { REPO } from './servers.js';
import { PHONE, startStack } from './stack.js';

const OUT = join(REPO, 'docs', 'screenshots');
const IMAGE = join(REPO, 'models', 'fixtures', 'images', 'shapes-640x480.png');

async function shoot(chat: ChatPage, name: string): Promise<void> {
  await chat.page.evaluate(() => document.fonts.ready);
  // Every rendered picture decoded (a phone shot once caught the conversation's image still loading: an empty frame).
  await chat.page.waitForFunction(() =>
    Array.from(document.images)
      .filter((img) => img.getClientRects().length > 0)
      .every((img) => img.complete && img.naturalWidth > 0),
  );
  await chat.page.screenshot({ path: join(OUT, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}

/** A few more of the demo model's samples uploaded, then a picture search over them all (ranks and match details). */
async function search(chat: ChatPage): Promise<void> {
  const files = demoSamples()
    .map((s) => s.file)
    .slice(1, 6);
  for (const [i, file] of files.entries()) {
    await chat.uploadImage(join(SAMPLES_DIR, file));
    await chat.page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="conversation-item"]').length === n,
      i + 2,
    );
    await chat.waitForFinished(0);
  }
  const box = chat.page.getByTestId('image-search');
  await box.fill('a purple triangle');
  await box.press('Enter');
  await chat.page.getByTestId('image-results').waitFor();
}

/** A conversation about a demo sample (or the fixture image without the demo model), with two questions. */
async function converse(chat: ChatPage, demo: boolean): Promise<void> {
  const sample = demo ? demoSamples().find((s) => s.questions.length >= 2) : undefined;
  if (sample) await chat.chooseSample(sample.file);
  else await chat.uploadImage(IMAGE);
  await chat.waitForFinished(0);
  const questions = sample?.questions.map((q) => q.question) ?? ['how many circles are there?'];
  for (const [i, q] of questions.slice(0, 2).entries()) {
    await chat.ask(q);
    await chat.waitForFinished(i + 1);
  }
}

const stack = await startStack();
try {
  mkdirSync(OUT, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    const chat = await stack.open({ dark: theme === 'dark' });
    await chat.goto('/');
    await chat.page.getByTestId('drop-zone').waitFor();
    await chat.page.waitForLoadState('networkidle');
    await shoot(chat, `${theme}-empty`);
    await converse(chat, stack.demo);
    await shoot(chat, `${theme}-conversation`);
    await chat.openSettings();
    await shoot(chat, `${theme}-settings`);
    await chat.page.keyboard.press('Escape');
    await chat.uploadBytes('notes.txt', 'text/plain', Buffer.from('hello'));
    await chat.errorBanner().waitFor();
    await shoot(chat, `${theme}-error`);
    // The same browser key, so the phone sees the same conversation.
    const key = await chat.page.evaluate(() => localStorage.getItem('blip.ownerKey'));
    const phone = await stack.open({ ...PHONE, dark: theme === 'dark' });
    await phone.page.addInitScript((k) => localStorage.setItem('blip.ownerKey', k as string), key);
    await phone.goto(`/${new URL(chat.page.url()).search}`);
    await phone.messages().first().waitFor();
    await shoot(phone, `${theme}-phone`);
    if (stack.demo) {
      await search(chat);
      await shoot(chat, `${theme}-search`);
    }
  }
} finally {
  await stack.stop();
}
