import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from './metrics.js';

/** Counts GraphQL operations by type and outcome. */
export function useOperationMetrics(metrics: Metrics): Plugin {
  return {
    onExecute({ args }) {
      const type = getOperationAST(args.document, args.operationName)?.operation ?? 'unknown';
      return {
        onExecuteDone({ result }) {
          const failed = 'errors' in result && (result.errors?.length ?? 0) > 0;
          metrics.operations.inc({ type, outcome: failed ? 'error' : 'ok' });
        },
      };
    },
    onSubscribe() {
      metrics.operations.inc({ type: 'subscription', outcome: 'started' });
    },
  };
}
