// Exact-match scoring of answers and captions, per question type, and the table the evaluation prints.

/** Right and asked counts of one row of the table. */
export interface Tally {
  right: number;
  total: number;
}

/** The exact-match form of a text: lower case, single spaces, no space before punctuation (as the Python side). */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .join(' ')
    .replace(/ ([,.?!])/g, '$1');
}

/** Whether `got` matches `expected` exactly after normalising both. */
export function exactMatch(got: string, expected: string): boolean {
  return normalise(got) === normalise(expected);
}

/** Per-key tallies that grow one outcome at a time. */
export class Scoreboard {
  private readonly rows = new Map<string, Tally>();

  /** Counts one outcome under `key`. */
  add(key: string, right: boolean): void {
    const row = this.rows.get(key) ?? { right: 0, total: 0 };
    row.right += right ? 1 : 0;
    row.total += 1;
    this.rows.set(key, row);
  }

  /** All rows, sorted by key. */
  entries(): [string, Tally][] {
    return [...this.rows.entries()].sort(([a], [b]) => a.localeCompare(b));
  }

  /** The sum over every row. */
  overall(): Tally {
    let right = 0;
    let total = 0;
    for (const row of this.rows.values()) {
      right += row.right;
      total += row.total;
    }
    return { right, total };
  }
}

/** A fraction as a percentage with one decimal ('-' when nothing was counted). */
export function percent(t: Tally): string {
  return t.total === 0 ? '-' : `${((100 * t.right) / t.total).toFixed(1)}%`;
}

/** A Markdown table: one row per question type, then answers overall, then captions. */
export function formatTable(answers: Scoreboard, captions: Tally): string {
  const lines = ['| question type | right / asked | exact match |', '|---|---:|---:|'];
  for (const [type, t] of answers.entries())
    lines.push(`| ${type} | ${t.right} / ${t.total} | ${percent(t)} |`);
  const all = answers.overall();
  lines.push(`| **all answers** | ${all.right} / ${all.total} | **${percent(all)}** |`);
  lines.push(`| **captions** | ${captions.right} / ${captions.total} | **${percent(captions)}** |`);
  return lines.join('\n');
}
