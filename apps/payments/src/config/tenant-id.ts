const TENANT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Why `tenantId` cannot name a tenant, or undefined when it can. */
export function tenantIdProblem(tenantId: string): string | undefined {
  return TENANT_ID.test(tenantId)
    ? undefined
    : 'must be 1 to 64 characters: lower-case letters, digits, dash or underscore, starting with a letter or digit';
}
