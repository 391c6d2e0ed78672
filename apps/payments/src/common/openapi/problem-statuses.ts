/** Every error status the API answers with, and what it means there (CONTRACT.md "Errors"). */
export const PROBLEM_STATUSES = {
  400: 'Bad input: a field missing, malformed or too long (in bytes of the request charset); `errors` names each field',
  401: 'Missing or unknown API key',
  403: 'Not accepted from this source address (PAYSTORY_NOTI_ALLOW)',
  404: 'No resource with this id',
  409: 'Conflict with what is stored: a duplicate orderId, an Idempotency-Key reused with another request or still in flight, a deleted billing key, or a state that does not allow this',
  422: "Refused by the gateway (a declined card, a cancel over the balance…): `code` and `gatewayMessage` are the gateway's",
  429: "Too many requests: the rate limit for this API key (or source address), or on a charge, a cancel or a billing key's registration or deletion the merchant's gateway rate, is spent; nothing was done, try again after Retry-After",
  500: 'Unexpected: only a `correlationId`, the details are in the log',
  502: 'The gateway could not be reached, or a call that moves no money got no answer: nothing happened, try again',
  503: 'The service cannot take the request safely now (e.g. its database is down): try again',
  504: 'The gateway did not answer in time; the outcome is being resolved',
} as const;

export type ProblemStatus = keyof typeof PROBLEM_STATUSES;
