/** What a typed call answers (openapi-fetch): the body on success, the problem otherwise, and the response. */
export interface TypedAnswer<D, E> {
  data?: D;
  error?: E;
  response: Response;
}

/** A typed call's answer as the harness records it (see `Answer` in run-record.ts). */
export interface Seen<D> {
  status: number;
  /** `Idempotent-Replayed: true`: the first answer to the same Idempotency-Key, sent again. */
  replayed: boolean;
  /** The body as it came: the data on success, the problem otherwise, null when there was none. */
  body: unknown;
  /** The body, typed, on success. */
  data?: D;
}

export function seenOf<D, E>({ data, error, response }: TypedAnswer<D, E>): Seen<D> {
  return {
    status: response.status,
    replayed: response.headers.get('idempotent-replayed') === 'true',
    body: data ?? error ?? null,
    data,
  };
}
