import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuMs } from './proc.js';

const totalMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

test("cpuMs reads the process's CPU time as Node's own process.cpuUsage() counts it", () => {
  const start = process.cpuUsage();
  const before = cpuMs(process.pid);
  // Work until Node counts 300 ms of CPU (user + system: where syscalls are dear, as under a sandbox, the
  // getrusage calls of this loop are mostly system time), however long that takes on a busy machine.
  let x = 0;
  while (totalMs(process.cpuUsage(start)) < 300) for (let i = 0; i < 100_000; i++) x += Math.sqrt(i);
  const used = cpuMs(process.pid) - before;
  const node = totalMs(process.cpuUsage(start));
  assert.ok(x > 0);
  // /proc counts in 10 ms ticks, read twice: allow a few ticks either way.
  assert.ok(Math.abs(used - node) <= 40, `/proc ${used} ms, Node ${node.toFixed(1)} ms`);
});
