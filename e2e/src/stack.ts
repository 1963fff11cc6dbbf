// One test file's whole stack: the real API (on the given models), a gate in front of it that the test can close or
// hang, the built web app pointed at the gate, and Debian's Chromium. Every port is 0.
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { type ApiGate, startGate } from './apiGate.js';
import { launchBrowser } from './browser.js';
import { ChatPage } from './pages/chat.js';
import { DEMO_MODEL, demoModelPresent, SAMPLES_DIR, TINY_MODEL } from './samples.js';
import { type Running, startApi, startWeb } from './servers.js';

/** Upload limit the API runs with here, so the oversize file stays small. */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;
export const DESKTOP = { width: 1200, height: 800 };
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
};

export interface Stack {
  api: Running;
  gate: ApiGate;
  web: Running;
  browser: Browser;
  demo: boolean;
  /** A fresh browser context (own owner key, own conversations) and its chat page. */
  open(options?: BrowserContextOptions & { dark?: boolean }): Promise<ChatPage>;
  stop(): Promise<void>;
}

/** Starts everything; `env` adds API settings. */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const demo = demoModelPresent();
  const models = demo && DEMO_MODEL !== TINY_MODEL ? `${DEMO_MODEL},${TINY_MODEL}` : TINY_MODEL;
  const api = await startApi({ BLIP_MODELS: models, MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), ...env });
  const gate = await startGate(api.url);
  const web = await startWeb(gate.url, { BLIP_SAMPLES_DIR: SAMPLES_DIR });
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  return {
    api,
    gate,
    web,
    browser,
    demo,
    async open(options = {}) {
      const { dark, ...rest } = options;
      const context = await browser.newContext({
        viewport: DESKTOP,
        colorScheme: dark ? 'dark' : 'light',
        ...rest,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error('page error:', err));
      return new ChatPage(page, web.url);
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await web.stop();
      await gate.close();
      await api.stop();
    },
  };
}
