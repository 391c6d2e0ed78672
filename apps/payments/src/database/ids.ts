import { randomUUID } from 'node:crypto';

/** The service's own opaque ids: a short prefix that says what it is, then a random UUID without dashes. */
export function newId(
  prefix: 'bk' | 'auth' | 'pay' | 'can' | 'sub' | 'evt' | 'idem' | 'noti' | 'chg' | 'op' | 'rec' | 'rcm' | 'inst',
): string {
  return `${prefix}_${randomUUID().replace(/-/g, '')}`;
}
