// Query limits (graphql-armor): depth, aliases, cost, tokens, directives, and no field suggestions.
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';

/** graphql-armor's rejection, reported on the validation context with a code instead of thrown bare. */
function reportRejection(ctx: ValidationContext | null, error: GraphQLError): void {
  ctx?.reportError(
    new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    }),
  );
}

/** The armor plugins for the configured limits. */
export function armorPlugins(config: Config): Plugin[] {
  const reject = { propagateOnRejection: false, onReject: [reportRejection] };
  return new EnvelopArmor({
    maxDepth: { n: config.maxQueryDepth, ...reject },
    maxAliases: { n: config.maxAliases, ...reject },
    costLimit: { maxCost: config.maxCost, ...reject },
    // Checked while parsing, where there is no validation context: typed-errors.ts codes its error.
    maxTokens: { n: config.maxTokens },
    maxDirectives: { n: config.maxDirectives, ...reject },
    // Suggestions name schema parts: hidden exactly when introspection is (typed-errors.ts strips the rest).
    blockFieldSuggestion: { enabled: !config.introspection },
  }).protect().plugins as Plugin[];
}
