import type { Request } from 'express';

/**
 * The pattern of the route that matched (`/v1/payments/:id`), which Express leaves in
 * `request.route` and which groups requests better than their paths; undefined when no route
 * matched. Middleware mounted on every path (`{/*splat}`) sets it too: a wildcard means no match.
 */
export function matchedRoute(request: Request): string | undefined {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' && !path.includes('*') ? path : undefined;
}
