// `npm run first-load -w @blip/e2e`: the JavaScript a browser downloads to show the chat page the first time, as sent
// over the wire (gzip-compressed by the web app) and unpacked, measured by Chromium's network events (CDP).
import { launchBrowser } from './browser.js';
import { startApi, startWeb } from './servers.js';

const api = await startApi();
const web = await startWeb(api.url);
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const scripts = new Map<string, string>();
  const sizes: { url: string; wire: number; body: number }[] = [];
  cdp.on('Network.responseReceived', (e) => {
    if (e.type === 'Script') scripts.set(e.requestId, e.response.url);
  });
  const pending: Promise<void>[] = [];
  cdp.on('Network.loadingFinished', (e) => {
    const url = scripts.get(e.requestId);
    if (!url) return;
    pending.push(
      cdp.send('Network.getResponseBody', { requestId: e.requestId }).then((body) => {
        const bytes = Buffer.byteLength(body.body, body.base64Encoded ? 'base64' : 'utf8');
        sizes.push({ url, wire: e.encodedDataLength, body: bytes });
      }),
    );
  });
  await page.goto(web.url, { waitUntil: 'networkidle' });
  await page.getByTestId('composer').waitFor();
  await Promise.all(pending);
  const wire = sizes.reduce((n, s) => n + s.wire, 0);
  const body = sizes.reduce((n, s) => n + s.body, 0);
  for (const s of sizes)
    console.log(`${String(s.wire).padStart(8)} ${String(s.body).padStart(8)}  ${new URL(s.url).pathname}`);
  console.log(
    `first-load JavaScript: ${sizes.length} files, ${wire} bytes on the wire (compressed, headers included), ${body} bytes unpacked`,
  );
} finally {
  await browser.close();
  await web.stop();
  await api.stop();
}
