/** One thing wrong with the environment: the variable, and what is wrong with it in words an operator can act on. */
export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
}

/**
 * The boot stops on it: one line per problem (`Configuration error: PORT must be …`), each naming its
 * variable and never repeating a secret's value.
 */
export class ConfigError extends Error {
  constructor(variable: string, problem: string, others: readonly ConfigProblem[] = []) {
    super(
      [{ variable, problem }, ...others]
        .map((each) => `Configuration error: ${each.variable} ${each.problem}`)
        .join('\n'),
    );
  }
}
