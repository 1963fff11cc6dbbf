// A TCP relay between the web app and the API that a test switches: 'open' passes bytes both ways, 'down' refuses
// every connection (and cuts the open ones), 'hung' accepts connections and never answers. Outages are then events
// the test causes, on a running API, instead of stopping processes and racing their restart.
import { connect, createServer, type Server, type Socket } from 'node:net';

export type GateMode = 'open' | 'down' | 'hung';

/** The relay: point the web app at `url` instead of the API. */
export interface ApiGate {
  url: string;
  set(mode: GateMode): void;
  close(): Promise<void>;
}

/** Listens on a free loopback port (port 0) and relays to `target` (http://host:port). */
export async function startGate(target: string): Promise<ApiGate> {
  const upstream = new URL(target);
  let mode: GateMode = 'open';
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    if (mode === 'down') return client.destroy();
    if (mode === 'hung') return; // read nothing, answer nothing
    const api = connect(Number(upstream.port), upstream.hostname);
    sockets.add(api);
    api.on('close', () => sockets.delete(api));
    api.on('error', () => client.destroy());
    client.on('close', () => api.destroy());
    api.on('close', () => client.destroy());
    client.pipe(api).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('gate has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    set(next) {
      mode = next;
      // Open connections are cut too (a stopped API would cut them; and the web app's idle keep-alive connections
      // must not slip past a hang), so every request from now on meets the new mode.
      if (next !== 'open') for (const s of sockets) s.destroy();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
