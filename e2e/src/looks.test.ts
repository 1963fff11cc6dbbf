// Light and dark, desktop and phone: the theme follows the system and the toggle, axe finds no violation in the main
// states of either theme, nothing scrolls sideways on a phone, and every control there is at least 44 px to tap.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { axeViolations } from './axe.js';
import type { ChatPage } from './pages/chat.js';
import { REPO } from './servers.js';
import { PHONE, type Stack, startStack } from './stack.js';

const IMAGE = join(REPO, 'models', 'fixtures', 'images', 'shapes-640x480.png');
/** Smallest tap target on a phone, CSS px (WCAG 2.5.5, Apple and Material guidance). */
const MIN_TAP_PX = 44;

let stack: Stack;

/** The page background colour, as computed. */
function background(chat: ChatPage): Promise<string> {
  return chat.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

/** Walks the main states and returns axe's violations in each (empty page, answers, settings, error). */
async function violationsInMainStates(chat: ChatPage): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  await chat.goto('/');
  await chat.page.getByTestId('drop-zone').waitFor();
  found.empty = await axeViolations(chat.page);
  await chat.uploadImage(IMAGE);
  await chat.waitForFinished(0);
  await chat.ask('how many circles are there?');
  await chat.waitForFinished(1);
  found.conversation = await axeViolations(chat.page);
  await chat.openSettings();
  found.settings = await axeViolations(chat.page);
  await chat.page.keyboard.press('Escape');
  await chat.uploadBytes('notes.txt', 'text/plain', Buffer.from('hello'));
  await chat.errorBanner().waitFor();
  found.error = await axeViolations(chat.page);
  return found;
}

describe('themes, accessibility and phones', { timeout: 300_000 }, () => {
  before(async () => {
    stack = await startStack();
  });

  after(async () => {
    await stack?.stop();
  });

  for (const dark of [false, true]) {
    const theme = dark ? 'dark' : 'light';
    test(`${theme} theme from the system preference: axe finds no violations in the main states`, async () => {
      const chat = await stack.open({ dark });
      const found = await violationsInMainStates(chat);
      const bg = await background(chat);
      assert.equal(bg === 'rgb(17, 19, 24)', dark, `the ${theme} background (${bg})`);
      assert.deepEqual(found, { empty: [], conversation: [], settings: [], error: [] });
    });
  }

  test('the toggle overrides the system preference and is remembered', async () => {
    const chat = await stack.open({ dark: false });
    await chat.goto('/');
    const light = await background(chat);
    const toggle = chat.page.getByTestId('theme-toggle');
    await toggle.click(); // system → light
    await toggle.click(); // light → dark
    assert.equal(await chat.page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.notEqual(await background(chat), light);
    await chat.page.reload();
    await chat.page.getByTestId('composer').waitFor();
    assert.equal(await chat.page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.equal(await chat.page.getByTestId('theme-toggle').getAttribute('data-theme'), 'dark');
    assert.deepEqual(await axeViolations(chat.page), []);
  });

  for (const dark of [false, true]) {
    test(`on a phone (${dark ? 'dark' : 'light'}): it fits, the list opens from the menu, every control is ≥ 44 px`, async () => {
      const chat = await stack.open({ ...PHONE, dark });
      await chat.goto('/');
      await chat.uploadImage(IMAGE);
      await chat.waitForFinished(0);
      const width = await chat.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no sideways scrolling (page is ${width}px wide)`);
      const small = await chat.page.evaluate((min) => {
        const out: string[] = [];
        for (const el of document.querySelectorAll<HTMLElement>(
          'button, select, input:not([type=file]), textarea, summary',
        )) {
          const box = el.getBoundingClientRect();
          if (box.width === 0 || box.height === 0) continue; // not shown
          if (box.height < min || (el.tagName === 'BUTTON' && box.width < min))
            out.push(
              `${el.dataset.testid ?? el.textContent?.trim()} ${Math.round(box.width)}×${Math.round(box.height)}`,
            );
        }
        return out;
      }, MIN_TAP_PX);
      assert.deepEqual(small, [], 'controls smaller than 44 px');
      await chat.page.getByTestId('list-toggle').click();
      await chat.conversations().first().getByTestId('conversation-open').click();
      await chat.messages().first().waitFor();
      assert.ok(await chat.questionInput().isVisible());
      assert.deepEqual(await axeViolations(chat.page), []);
    });
  }
});
