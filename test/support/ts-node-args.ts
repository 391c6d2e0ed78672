/**
 * Node's arguments to run one of the repository's TypeScript entry points in a child process, as
 * the child-process tests do: ts-node without type-checking (it starts in seconds) and the
 * tsconfig path aliases. Give the child `TS_NODE_PROJECT: 'tsconfig.json'` and no NODE_OPTIONS
 * (Jest's `--experimental-vm-modules` is not for it).
 */
export function tsNodeArgs(entry: string, ...args: string[]): string[] {
  return ['--require', 'ts-node/register/transpile-only', '--require', 'tsconfig-paths/register', entry, ...args];
}
