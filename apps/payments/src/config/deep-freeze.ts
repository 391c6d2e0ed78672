/** Freezes an object and every object it holds, so that a reference handed out cannot change it. */
export function deepFreeze<T extends object>(value: T): T {
  for (const member of Object.values(value)) {
    if (member !== null && typeof member === 'object' && !Object.isFrozen(member)) deepFreeze(member as object);
  }
  return Object.freeze(value);
}
