// Replacing one "## Title" section of BENCHMARKS.md, leaving the others alone.
import { readFile, writeFile } from 'node:fs/promises';

/** Replaces the section headed `## ${title}` (up to the next `## `), or appends it when absent. */
export async function writeNamedSection(path: string, title: string, section: string): Promise<void> {
  const current = await readFile(path, 'utf8').catch(() => '# Benchmarks\n');
  const start = current.indexOf(`\n## ${title}\n`);
  if (start < 0) {
    await writeFile(path, `${current.trimEnd()}\n\n${section.trimEnd()}\n`);
    return;
  }
  const next = current.indexOf('\n## ', start + 1);
  const rest = next < 0 ? '' : current.slice(next);
  await writeFile(path, `${current.slice(0, start)}\n${section.trimEnd()}\n${rest}`);
}
