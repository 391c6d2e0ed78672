/** `Authorization: Bearer <one of API_KEYS>`: every /v1 route but the gateway's and the browser's. */
export const API_KEY_SECURITY = 'apiKey';

/** `Authorization: Bearer <METRICS_TOKEN>`, or one of API_KEYS when no token is set: `GET /metrics` on the main port. */
export const METRICS_TOKEN_SECURITY = 'metricsToken';
