// Admission per operation, all or nothing: before a mutation runs, the engine reserves room for every generation
// it selects (Engine.reserve: TOO_MANY_GENERATIONS past maxGenerationsPerCall, OVERLOADED when the queue has no
// room), so an operation is refused before anything runs, and what it starts cannot be OVERLOADED halfway.
// Without this, one request with 15 aliased `answer` fields filled the queue, got OVERLOADED itself, and its
// admitted generations still ran to the end for nobody. The API only counts the fields (GraphQL is its
// concern); the limits and the decision are the engine's. A subscription has one root field: its stream takes
// its own place in line.
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getOperationAST,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context, Services } from '../context.js';
import { toClientError } from '../errors.js';

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
export function useOperationAdmission(services: Services): Plugin<Context> {
  return {
    onExecute({ args, extendContext, setResultAndStopExecution }) {
      const n = generationsIn(args.document, args.operationName);
      if (n === 0) return;
      try {
        const reservation = services.engine.reserve(n);
        extendContext({ reservation });
        return { onExecuteDone: () => reservation.release() };
      } catch (err) {
        const refusal = toClientError(err);
        if (refusal.code === 'OVERLOADED') services.metrics.overloaded.inc();
        setResultAndStopExecution({ errors: [refusal] });
      }
    },
  };
}
