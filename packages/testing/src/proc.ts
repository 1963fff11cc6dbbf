// Figures of a running process from Linux /proc: resident memory now and at its peak, CPU time, open file handles.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] ? Number(m[1]) : Number.NaN;
}

const mib = (kib: number) => Math.round(kib / 102.4) / 10;

/** Resident memory of a process now, MiB (one decimal). */
export const rssMiB = (pid: number): number => mib(statusKiB(pid, 'VmRSS'));

/** Peak resident memory of a process since it started or since `resetPeakRss`, MiB. */
export const peakRssMiB = (pid: number): number => mib(statusKiB(pid, 'VmHWM'));

/**
 * Resets the peak to the current resident memory (Linux ≥ 4.0, needs the right to write the process's
 * clear_refs: the same user). Returns false where that is not possible, so callers can say the peak is lifelong.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Open file handles of a process (entries of /proc/<pid>/fd). */
export const openFds = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

/** CPU time a process has used (user + system, every thread), ms: /proc/<pid>/stat fields 14 and 15, in clock
 * ticks of 10 ms (USER_HZ is 100 on Linux). Unlike wall time it does not grow while the process waits for a core. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
