// axe-core (Deque's accessibility engine, as used by Lighthouse) run inside the page; returns one line per violation.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe on the whole page (WCAG 2 A and AA rules and best practices); "[rule] target: help" per node. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(o: unknown): Promise<{ violations: AxeViolation[] }> } })
      .axe;
    interface AxeViolation {
      id: string;
      help: string;
      nodes: { target: string[] }[];
    }
    const result = await axe.run({ runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `[${v.id}] ${n.target.join(' ')}: ${v.help}`));
  });
}
