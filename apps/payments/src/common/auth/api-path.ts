/**
 * Whether a request path is under the versioned API. Express matches routes without regard to case,
 * so `/V1/payments` reaches the same handler as `/v1/payments`: the check must ignore case too.
 */
export function isApiPath(path: string): boolean {
  return /^\/v1(\/|$)/i.test(path);
}
