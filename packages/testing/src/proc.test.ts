import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuMs } from './proc.js';

test("cpuMs reads the process's CPU time as Node's own process.cpuUsage() counts it", () => {
  const [before, start] = [cpuMs(process.pid), process.cpuUsage()];
  let spins = 0;
  // Spin until Node says 300 ms of CPU went by (however long that takes on a busy machine).
  while (process.cpuUsage(start).user < 300_000) spins++;
  const used = cpuMs(process.pid) - before;
  assert.ok(spins > 0);
  assert.ok(used >= 280 && used < 2_000, `${used} ms`);
});
