// Reads every turn of an owner through the API (all pages), so tests can check that none is left PENDING
// and that nothing acknowledged was lost.
import { type Gql, gql } from './client.js';

/** A turn as the checks need it. */
export interface TurnInfo {
  id: string;
  status: string;
  answer: string | null;
  conversationId: string;
}

/** One page of conversations as PAGE selects it. */
interface Page {
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  nodes: { id: string; turns: Omit<TurnInfo, 'conversationId'>[] }[];
}

const PAGE = `query ($after: String) {
  conversations(first: 100, after: $after) {
    pageInfo { endCursor hasNextPage }
    nodes { id turns { id status answer } }
  }
}`;
/** Most pages read (10,000 conversations): the loop is bounded. */
const MAX_PAGES = 100;

/** Every conversation id and turn of `owner`. */
export async function allTurns(
  endpoint: string,
  owner: string,
): Promise<{ conversations: string[]; turns: TurnInfo[] }> {
  const conversations: string[] = [];
  const turns: TurnInfo[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r: Gql<{ conversations: Page }> = await gql<{ conversations: Page }>(
      endpoint,
      PAGE,
      { after },
      owner,
    );
    const c: Page | undefined = r.data?.conversations;
    if (!c) throw new Error(`conversations failed: ${JSON.stringify(r.errors)}`);
    for (const n of c.nodes) {
      conversations.push(n.id);
      for (const t of n.turns) turns.push({ ...t, conversationId: n.id });
    }
    if (!c.pageInfo.hasNextPage) break;
    after = c.pageInfo.endCursor;
  }
  return { conversations, turns };
}

/** Turn counts by status, e.g. { COMPLETED: 20, FAILED: 3 }. */
export function byStatus(turns: TurnInfo[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of turns) out[t.status] = (out[t.status] ?? 0) + 1;
  return out;
}
