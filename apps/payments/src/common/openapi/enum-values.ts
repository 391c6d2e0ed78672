/**
 * The values of a string union for a schema's `enum`. Written as a record so that the compiler
 * refuses a value missing from the union or one the union does not have.
 */
export function enumValues<T extends string>(values: Record<T, true>): T[] {
  return Object.keys(values) as T[];
}
