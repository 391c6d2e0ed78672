/**
 * The API keys kept in the database (`npm run keys`), which ApiKeyAuthStrategy falls back to after
 * `API_KEYS`. ApiKeysModule provides it (ApiKeysService), so that this folder depends on no domain module.
 */
export interface StoredApiKeys {
  /** The key whose current secret this is, unless it is revoked. */
  authenticate(secret: string): Promise<{ id: string; tenantId: string } | undefined>;
}

export const STORED_API_KEYS = Symbol('STORED_API_KEYS');
