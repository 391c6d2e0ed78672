import { createPaymentsClient, type PaymentsClient } from '@app/payments-client';
import { TEST_API_KEY } from './api-client';

/** A typed client that also keeps each answer's body as it came over the wire. */
export interface WireTextClient {
  client: PaymentsClient;
  /** The body of a typed answer of `client`, byte for byte: a replay must be the first answer, not an equal one. */
  textOf(answer: { response: Response }): Promise<string>;
}

/** The typed client the tests use, for a test that compares answers' bytes (openapi-fetch keeps only the parsed body). */
export function wireTextClient(baseUrl: string, apiKey = TEST_API_KEY): WireTextClient {
  const texts = new WeakMap<Response, Promise<string>>();
  const client = createPaymentsClient({
    baseUrl,
    apiKey,
    fetch: async (request) => {
      const response = await fetch(request);
      texts.set(response, response.clone().text());
      return response;
    },
  });
  return {
    client,
    textOf: (answer) => texts.get(answer.response) ?? Promise.reject(new Error('Not an answer of this client')),
  };
}
