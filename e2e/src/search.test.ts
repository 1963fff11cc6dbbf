// Finding one's pictures by describing them (issue 20), end to end: the real API on the default model (its
// image-text parts), the built web app and Debian's Chromium. Three pictures drawn here with sharp's SVG renderer
// (not the model's own generator) are uploaded; a description of one of them is searched; it must come first, and
// the grid shows ranks in that order (the match probability only as a labelled detail); choosing it opens that
// picture's conversation. The search box's placeholder fits it, on a desktop and a phone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import type { ChatPage } from './pages/chat.js';
import { PHONE, type Stack, startStack } from './stack.js';

/** Three scenes that share nothing: one colour and one shape each. */
const SCENES = [
  {
    file: 'red-circle.png',
    svg: '<circle cx="48" cy="48" r="30" fill="#e0201c"/>',
  },
  {
    file: 'blue-squares.png',
    svg: '<rect x="10" y="14" width="30" height="30" fill="#1f3fd6"/><rect x="54" y="50" width="30" height="30" fill="#1f3fd6"/>',
  },
  {
    file: 'green-triangle.png',
    svg: '<polygon points="48,12 84,80 12,80" fill="#1ea838"/>',
  },
];
const QUERY = 'a red circle';
const WANTED = 'red-circle.png';

async function png(body: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" fill="#ffffff"/>${body}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

let stack: Stack;
let chat: ChatPage;

describe('picture search end to end', { timeout: 600_000 }, () => {
  before(async () => {
    stack = await startStack();
    chat = await stack.open();
  });
  after(async () => {
    await stack?.stop();
  });

  test('upload three pictures, search by a description: the right one comes first and opens its conversation', async () => {
    await chat.goto();
    for (const [i, scene] of SCENES.entries()) {
      await chat.uploadBytes(scene.file, 'image/png', await png(scene.svg));
      await chat.page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="conversation-item"]').length === n,
        i + 1,
      );
      await chat.waitForFinished(0);
    }
    const box = chat.page.getByTestId('image-search');
    await box.fill(QUERY);
    await box.press('Enter');
    const results = chat.page.getByTestId('image-result');
    await chat.page.getByTestId('image-results').waitFor();
    assert.equal(await results.count(), SCENES.length);
    const titles = await results.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('title')));
    assert.equal(titles[0], WANTED, `"${QUERY}" ranked ${titles.join(', ')}`);
    // What the grid says agrees with its order: ranks 1..n down the grid; the matching head's probability only as a
    // labelled detail (it need not fall: the order is both heads together), said so above the grid.
    const ranks = await chat.page.getByTestId('image-result-rank').allTextContents();
    assert.deepEqual(ranks, ['#1', '#2', '#3']);
    for (const detail of await chat.page.getByTestId('image-result-detail').allTextContents())
      assert.match(detail, /^match \d{1,3}%$/);
    assert.match((await chat.page.getByTestId('image-results-legend').textContent()) ?? '', /need not fall/);
    const id = await results.first().getAttribute('data-image-id');
    await results.first().click();
    await chat.page.waitForFunction(
      (imageId) =>
        document
          .querySelector('[data-testid="image-preview"] img')
          ?.getAttribute('src')
          ?.endsWith(`/images/${imageId}`),
      id,
    );
    await chat.waitForFinished(0); // its conversation, with the caption it got at upload
    assert.match(chat.page.url(), /[?&]c=/);
  });

  test('the search boxes show their whole placeholder, on a desktop and on a phone', async () => {
    const desktop = await stack.open();
    await desktop.goto();
    await desktop.page.getByTestId('image-search').waitFor();
    assert.deepEqual(await clippedPlaceholders(desktop.page), [], 'desktop');
    const phone = await stack.open(PHONE);
    await phone.goto();
    await phone.page.getByTestId('list-toggle').click();
    await phone.page.getByTestId('image-search').waitFor();
    assert.deepEqual(await clippedPlaceholders(phone.page), [], 'phone');
  });
});

/** The inputs of the conversation column whose placeholder is wider than their text box, as "text: need > room". */
function clippedPlaceholders(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const context = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
    const out: string[] = [];
    for (const input of document.querySelectorAll<HTMLInputElement>(
      '#conversation-list input[placeholder]',
    )) {
      const style = getComputedStyle(input, '::placeholder');
      context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const need = context.measureText(input.placeholder).width;
      const box = getComputedStyle(input);
      const room =
        input.clientWidth - Number.parseFloat(box.paddingLeft) - Number.parseFloat(box.paddingRight);
      if (need > room) out.push(`${input.placeholder}: ${Math.ceil(need)} > ${Math.floor(room)} px`);
    }
    return out;
  });
}
