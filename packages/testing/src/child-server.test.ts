import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { startChildServer } from './child-server.js';

// A server that listens on port 0, says where, and starts a grandchild (to check the whole group is stopped).
const SERVER = `
const { spawn } = require('node:child_process');
const grandchild = spawn('sleep', ['600'], { stdio: 'ignore' });
const server = require('node:http').createServer((_, res) => res.end('hello'));
server.listen(0, '127.0.0.1', () => {
  console.log('noise before the address');
  console.log('listening on http://127.0.0.1:' + server.address().port + ' grandchild ' + grandchild.pid);
});`;

const listeningUrl = (line: string) => /^listening on (\S+)/.exec(line)?.[1];
const spec = (script: string, timeoutMs = 30_000) => ({
  command: process.execPath,
  args: ['-e', script],
  cwd: process.cwd(),
  listeningUrl,
  timeoutMs,
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('the URL comes from the line the server prints; stop ends the server and everything it started', async () => {
  const server = await startChildServer(spec(SERVER));
  assert.equal(await (await fetch(server.url)).text(), 'hello');
  assert.deepEqual(server.log.slice(0, 1), ['noise before the address']);
  const grandchild = Number(/grandchild (\d+)/.exec(server.listeningLine)?.[1]);
  assert.ok(alive(grandchild));
  await server.stop();
  assert.ok(server.child.exitCode !== null || server.child.signalCode !== null);
  // The group was signalled: the grandchild is gone too (once the kernel has reaped it).
  await until(() => !alive(grandchild) || isZombie(grandchild));
});

test('a server that exits before listening rejects with what it printed', async () => {
  await assert.rejects(
    startChildServer(spec("console.error('bad setting: PORT'); process.exit(3)")),
    /exited \(3\) before listening:\nbad setting: PORT/,
  );
});

test('a server that never reports an address is killed at the timeout', async () => {
  const started = startChildServer(spec("console.log('thinking'); setInterval(() => {}, 1000)", 300));
  await assert.rejects(started, /no listening line within 300 ms:\nthinking/);
});

function isZombie(pid: number): boolean {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 20));
}
