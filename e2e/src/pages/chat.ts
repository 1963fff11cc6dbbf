// The chat page as the tests speak of it: intention-named actions over data-testid locators.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page, Request } from 'playwright-core';
import { REPO } from '../servers.js';

/** The text a locator shows, trimmed ('' when it has none). */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}

/** The GraphQL operation a request carries: urql sends queries as GET (?operationName=…) and the rest as POST JSON. */
export function operationOf(request: Request): string | null {
  if (!request.url().includes('/graphql')) return null;
  const fromUrl = new URL(request.url()).searchParams.get('operationName');
  return fromUrl ?? (request.postData() ?? '').match(/"operationName":"(\w+)"/)?.[1] ?? null;
}

/** Where screenshots go (git-ignored). */
export const ARTIFACTS = join(REPO, 'artifacts', 'e2e');
/** Longest wait for one caption or answer, ms. */
export const ANSWER_TIMEOUT_MS = 60_000;

export class ChatPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  /** Opens the app and waits until it is interactive. */
  async goto(path = '/'): Promise<void> {
    await this.page.goto(new URL(path, this.baseUrl).toString());
    await this.page.getByTestId('composer').waitFor();
  }

  /** Uploads a file from disk through the file picker. */
  async uploadImage(path: string): Promise<void> {
    await this.page.getByTestId('file-input').setInputFiles(path);
  }

  /** Uploads bytes as if they were a file called `name`. */
  async uploadBytes(name: string, mimeType: string, buffer: Buffer): Promise<void> {
    await this.page.getByTestId('file-input').setInputFiles({ name, mimeType, buffer });
  }

  /** Clicks one of the demo model's sample thumbnails. */
  async chooseSample(file: string): Promise<void> {
    await this.page.locator(`[data-testid="sample"][data-file="${file}"]`).click();
  }

  /** Types a question and sends it with Enter. */
  async ask(text: string): Promise<void> {
    const input = this.page.getByTestId('question-input');
    await input.fill(text);
    await input.press('Enter');
  }

  /** Asks one of the sample's example questions by clicking its chip. */
  async askSuggestion(text: string): Promise<void> {
    await this.page.getByTestId('suggestion').filter({ hasText: text }).click();
  }

  messages(): Locator {
    return this.page.getByTestId('message');
  }

  lastMessage(): Locator {
    return this.messages().last();
  }

  /** The answer text of the n-th message (0-based). */
  async answerText(n: number): Promise<string> {
    return textOf(this.messages().nth(n).getByTestId('message-answer'));
  }

  /** Waits until message n exists and is no longer streaming; returns its status. */
  async waitForFinished(n: number, timeout = ANSWER_TIMEOUT_MS): Promise<string> {
    const message = this.messages().nth(n);
    await message.waitFor({ timeout });
    await this.page.waitForFunction(
      (el) => el?.getAttribute('data-status') !== 'STREAMING',
      await message.elementHandle(),
      { timeout },
    );
    return (await message.getAttribute('data-status')) ?? '';
  }

  stopButton(): Locator {
    return this.page.getByTestId('stop-button');
  }

  sendButton(): Locator {
    return this.page.getByTestId('send-button');
  }

  questionInput(): Locator {
    return this.page.getByTestId('question-input');
  }

  liveRegion(): Locator {
    return this.page.getByTestId('live-region');
  }

  errorBanner(): Locator {
    return this.page.getByTestId('error-banner');
  }

  conversations(): Locator {
    return this.page.getByTestId('conversation-item');
  }

  /** Opens the settings dialog and waits until it is shown. */
  async openSettings(): Promise<void> {
    await this.page.getByTestId('settings-toggle').click();
    await this.page.locator('[data-testid="settings-panel"][open]').waitFor();
  }

  /** The data-testid of the focused element ('' when none has one). */
  async focused(): Promise<string> {
    return this.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
  }

  /** Waits for the answer to the next GraphQL request named `operation` (e.g. 'UpdateSettings'). */
  waitForOperation(operation: string) {
    return this.page.waitForResponse((r) => operationOf(r.request()) === operation);
  }

  /** Opens the settings dialog, applies `values`, then closes it. */
  async setSettings(values: { model?: string; strategy?: string; maxNewTokens?: number; numBeams?: number }) {
    await this.openSettings();
    if (values.model) await this.page.getByTestId('setting-model').selectOption(values.model);
    if (values.strategy) await this.page.getByTestId('setting-strategy').selectOption(values.strategy);
    if (values.numBeams !== undefined)
      await this.page.getByTestId('setting-numBeams').fill(String(values.numBeams));
    if (values.maxNewTokens !== undefined) {
      await this.page.getByTestId('setting-maxNewTokens').fill(String(values.maxNewTokens));
    }
    await this.page.getByTestId('settings-close').click();
  }

  /**
   * Records every text the live region shows from now on (a MutationObserver in the page, so no poll interval can
   * miss a state); `readSeen` returns them.
   */
  async watchLiveRegion(): Promise<void> {
    await this.page.evaluate(() => {
      const region = document.querySelector('[data-testid="live-region"]');
      const seen: string[] = [];
      (window as unknown as { __seen: string[] }).__seen = seen;
      new MutationObserver(() => {
        if (region?.getAttribute('data-streaming') === 'true') seen.push(region.textContent ?? '');
      }).observe(region as Node, { childList: true, subtree: true, characterData: true, attributes: true });
    });
  }

  /**
   * Stops the answer the moment its first text shows up — a click on Stop, or an Escape key press — from inside the
   * page, so it does not wait on a round trip to the test process: tiny models finish a whole answer in well under a
   * second.
   */
  async armStopOnFirstText(how: 'click' | 'escape' = 'click'): Promise<void> {
    await this.page.evaluate((how) => {
      const region = document.querySelector('[data-testid="live-region"]') as HTMLElement;
      const observer = new MutationObserver(() => {
        if (region.getAttribute('data-streaming') !== 'true' || !region.textContent) return;
        const stop = document.querySelector<HTMLButtonElement>('[data-testid="stop-button"]');
        if (!stop) return;
        observer.disconnect();
        (window as unknown as { __stoppedAt: string }).__stoppedAt = region.textContent;
        if (how === 'click') stop.click();
        else window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      });
      observer.observe(region, { childList: true, subtree: true, characterData: true, attributes: true });
    }, how);
  }

  /**
   * Holds the next `operation` stream (CaptionStream or AnswerStream) in the page once it has shown some text: the
   * response passes through the page's fetch until the first chunk with a non-empty token, then nothing more arrives
   * until `releaseStream()` (or the page aborts it, as Stop does). So "mid-answer" is a state the test controls,
   * however fast the model is. Call before the page is loaded (it wraps window.fetch at document start).
   */
  static async installStreamHold(page: Page): Promise<void> {
    await page.addInitScript(() => {
      const w = window as unknown as {
        __hold: { op: string | null; release: (() => void) | null; held: boolean; aborted: boolean };
      };
      w.__hold = { op: null, release: null, held: false, aborted: false };
      const script = {
        op: null as string | null,
        queue: [] as [string, boolean][],
        push(text: string, end: boolean) {
          this.queue.push([text, end]);
          this.flush();
        },
        flush() {},
      };
      (window as unknown as { __script: typeof script }).__script = script;
      const realFetch = window.fetch.bind(window);
      window.fetch = async (input, init) => {
        if (script.op && String(init?.body ?? '').includes(`"operationName":"${script.op}"`)) {
          script.op = null;
          const encoder = new TextEncoder();
          const body = new ReadableStream<Uint8Array>({
            start(controller) {
              script.flush = () => {
                for (const [text, end] of script.queue.splice(0)) {
                  if (text) controller.enqueue(encoder.encode(text));
                  if (end) controller.close();
                }
              };
              script.flush();
            },
          });
          return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
        }
        const res = await realFetch(input, init);
        const op = w.__hold.op;
        if (!op || !res.body || !String(init?.body ?? '').includes(`"operationName":"${op}"`)) return res;
        w.__hold.op = null;
        // The page giving up on the held stream (Stop aborts its request) is what the test waits for: the network
        // request itself may already have finished, since the server does not wait for the page to read.
        init?.signal?.addEventListener('abort', () => {
          w.__hold.aborted = true;
        });
        const reader = res.body.getReader();
        const released = new Promise<void>((r) => {
          w.__hold.release = r;
        });
        const decoder = new TextDecoder();
        const encoder = new TextEncoder();
        let unsent = ''; // read from the server, not yet passed to the page
        const body = new ReadableStream<Uint8Array>({
          // One server-sent event per pull, so the hold lands right after the first text even when the network
          // delivers many events in one read (a loaded machine: the whole answer at once, CI of 2026-12-01).
          async pull(controller) {
            if (w.__hold.held) await released;
            let end = unsent.indexOf('\n\n');
            while (end < 0) {
              const { done, value } = await reader.read();
              if (done) {
                unsent += decoder.decode(); // whatever a split character left in the decoder
                if (unsent) controller.enqueue(encoder.encode(unsent));
                unsent = '';
                return controller.close();
              }
              unsent += decoder.decode(value, { stream: true });
              end = unsent.indexOf('\n\n');
            }
            const event = unsent.slice(0, end + 2);
            unsent = unsent.slice(end + 2);
            controller.enqueue(encoder.encode(event));
            if (/"delta":"[^"]/.test(event)) w.__hold.held = true;
          },
          cancel(reason) {
            w.__hold.aborted = true;
            return reader.cancel(reason);
          },
        });
        return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
      };
    });
  }

  /**
   * Makes the next `operation` stream a scripted one: the page's fetch answers it with a stream the test writes with
   * `pushEvents` (server-sent events, as the API sends them), so every step of it is a state the test controls.
   * Needs installStreamHold.
   */
  async scriptNextStream(operation: 'CaptionStream' | 'AnswerStream'): Promise<void> {
    await this.page.evaluate((op) => {
      (window as unknown as { __script: { op: string | null } }).__script.op = op;
    }, operation);
  }

  /** Sends GraphQL results as the next events of the scripted stream; `end` closes it. */
  async pushEvents(events: unknown[], end = false): Promise<void> {
    await this.page.evaluate(
      ({ events, end }) => {
        const script = (window as unknown as { __script: { push(text: string, end: boolean): void } })
          .__script;
        script.push(events.map((e) => `event: next\ndata: ${JSON.stringify(e)}\n\n`).join(''), end);
      },
      { events, end },
    );
  }

  /** Arms the hold for the next stream named `operation` (see installStreamHold). */
  async holdNextStream(operation: 'CaptionStream' | 'AnswerStream'): Promise<void> {
    await this.page.evaluate((op) => {
      const w = window as unknown as { __hold: { op: string | null; held: boolean; aborted: boolean } };
      w.__hold.op = op;
      w.__hold.held = false;
      w.__hold.aborted = false;
    }, operation);
  }

  /** Waits until the held stream has shown text and is holding the rest back. */
  async waitForHeld(): Promise<void> {
    await this.page.waitForFunction(() => (window as unknown as { __hold: { held: boolean } }).__hold.held);
  }

  /** Waits until the page has aborted (or cancelled) the held stream's request. */
  async waitForAborted(): Promise<void> {
    await this.page.waitForFunction(
      () => (window as unknown as { __hold: { aborted: boolean } }).__hold.aborted,
    );
  }

  /** Lets the held stream go on. */
  async releaseStream(): Promise<void> {
    await this.page.evaluate(() =>
      (window as unknown as { __hold: { release: (() => void) | null } }).__hold.release?.(),
    );
  }

  /** Raises a page flag when the next streamed answer shows its first text (its generation then holds a slot). */
  async armFlagOnFirstText(): Promise<void> {
    await this.page.evaluate(() => {
      const flag = window as unknown as { __firstText?: boolean };
      flag.__firstText = false;
      const region = document.querySelector('[data-testid="live-region"]') as HTMLElement;
      const observer = new MutationObserver(() => {
        if (region.getAttribute('data-streaming') !== 'true' || !region.textContent) return;
        observer.disconnect();
        flag.__firstText = true;
      });
      observer.observe(region, { childList: true, subtree: true, characterData: true, attributes: true });
    });
  }

  /** Waits for the flag that `armFlagOnFirstText` raises. */
  async waitForFlag(): Promise<void> {
    await this.page.waitForFunction(
      () => (window as unknown as { __firstText?: boolean }).__firstText === true,
    );
  }

  /** The live region's texts recorded while an answer streamed. */
  readSeen(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
  }

  /** Saves a screenshot under artifacts/e2e/<name>.png. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path, fullPage: false });
    return path;
  }
}
