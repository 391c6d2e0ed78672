/** A request about API keys that cannot be done (unknown or revoked key, invalid tenant), in words a person can act on. */
export class ApiKeyError extends Error {}
