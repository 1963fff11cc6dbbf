// One cap on every string a request can carry (MAX_STRING_CHARS), in the document and in its variables, so no
// argument is unbounded; fields with a tighter rule (question, title, search, …) check their own limit too.
import { GraphQLError, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';

/** The first string longer than `max` inside a variables object, as [variable name, length]. */
export function overlongVariable(variables: unknown, max: number): [string, number] | undefined {
  if (!variables || typeof variables !== 'object') return undefined;
  const walk = (value: unknown): number => {
    if (typeof value === 'string') return value.length > max ? value.length : 0;
    if (value && typeof value === 'object') {
      for (const v of Object.values(value)) {
        const n = walk(v);
        if (n) return n;
      }
    }
    return 0;
  };
  for (const [name, value] of Object.entries(variables)) {
    const n = walk(value);
    if (n) return [name, n];
  }
  return undefined;
}

/** BAD_USER_INPUT naming the variable, for HTTP and WebSocket operations alike. */
export function checkVariables(variables: unknown, config: Config): void {
  const bad = overlongVariable(variables, config.maxStringChars);
  if (bad) {
    const [name, length] = bad;
    throw new ApiError(
      'BAD_USER_INPUT',
      `variable $${name} holds a string of ${length} characters; the limit is ${config.maxStringChars}`,
      name,
    );
  }
}

/** A validation rule: string literals in the document are capped the same way. */
function stringLiterals(max: number): ValidationRule {
  return (context) => ({
    StringValue(node) {
      if (node.value.length > max)
        context.reportError(
          new GraphQLError(`a string literal of ${node.value.length} characters; the limit is ${max}`, {
            nodes: [node],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
        );
    },
  });
}

/** The yoga plugin. */
export function useInputLimits(config: Config): Plugin {
  return {
    onParams({ params }) {
      checkVariables(params.variables, config);
    },
    onValidate({ addValidationRule }) {
      addValidationRule(stringLiterals(config.maxStringChars));
    },
  };
}
