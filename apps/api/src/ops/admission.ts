// Admission per operation, all or nothing: an operation that would start more generations than one caller may
// (MAX_GENERATIONS_PER_CALLER) is refused with TOO_MANY_GENERATIONS before any of them runs. Without this, one request
// with 15 aliased `answer` fields filled the queue, got OVERLOADED itself, and its admitted generations still
// ran to the end for nobody. (A subscription has one root field, so it starts at most one generation.)
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getOperationAST,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';

/** Root fields that start a generation. */
const GENERATING = new Set(['caption', 'answer', 'captionStream', 'answerStream']);

/** How many generating root fields the operation selects (aliases and fragments included). */
export function generationsIn(document: DocumentNode, operationName?: string | null): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const seen = new Set<string>();
  const count = (set: SelectionSetNode): number => {
    let n = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) n += GENERATING.has(s.name.value) ? 1 : 0;
      else if (s.kind === Kind.INLINE_FRAGMENT) n += count(s.selectionSet);
      else {
        const fragment = fragments.get(s.name.value);
        // A fragment spread twice selects the same fields twice: count every spread, but never loop.
        if (!fragment || seen.has(s.name.value)) continue;
        seen.add(s.name.value);
        n += count(fragment.selectionSet);
        seen.delete(s.name.value);
      }
    }
    return n;
  };
  return count(operation.selectionSet);
}

/** The yoga plugin (also applied to WebSocket operations, which go through the same envelop). */
export function useOperationAdmission(config: Config): Plugin {
  const refuse = (n: number) =>
    new ApiError(
      'TOO_MANY_GENERATIONS',
      `this operation asks for ${n} generations; one operation may start at most ${config.maxGenerationsPerCaller} (send them one by one)`,
    );
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const n = generationsIn(args.document, args.operationName);
      if (n > config.maxGenerationsPerCaller) setResultAndStopExecution({ errors: [refuse(n)] });
    },
  };
}
