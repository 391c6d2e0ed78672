import {
  createPaymentsClient,
  isPaymentProblem,
  type PaymentProblem,
  type PaymentsClient,
  type Problem,
} from '@app/payments-client';

/**
 * Two ways to call the service. `client` is the typed client consumers use (libs/payments-client):
 * tests send valid requests through it, so openapi.json checks their paths, bodies and answers.
 * `api()` sends whatever it is given: keep it for what a typed client cannot express on purpose,
 * a malformed or invalid body, a missing or wrong API key, odd headers or paths.
 */

/** The API key every service under test accepts. */
export const TEST_API_KEY = 'sk_test_e2e_key';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  /** The body exactly as it came over the wire. */
  text: string;
}

/** Anything that can call the service's API with the test key: the in-process harness or a service in a child process. */
export interface ApiCaller {
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
}

/** One JSON call to a running service (in this process or a child). A string body is sent as is. */
export async function callApi<T>(
  baseUrl: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<ApiResponse<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T, text };
}

/** Anything that can call the service through the typed client. */
export interface ClientCaller {
  client: PaymentsClient;
}

/** Both ways of calling one service with one API key. */
export type ServiceCaller = ApiCaller & ClientCaller;

/** Calls the service at `baseUrl` with `apiKey` (the test key by default); a test's own `authorization` header wins in `api()`. */
export function apiCaller(baseUrl: string, apiKey = TEST_API_KEY): ServiceCaller {
  return {
    api: <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      callApi<T>(baseUrl, method, path, body, { authorization: `Bearer ${apiKey}`, ...headers }),
    client: createPaymentsClient({ baseUrl, apiKey }),
  };
}

/** Fails with the response body in the message, which says more than a bare status mismatch. */
export function expectStatus(response: ApiResponse<unknown>, status: number): void {
  if (response.status !== status)
    throw new Error(`Expected HTTP ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
}

/** What a typed call answers (openapi-fetch): the body on success, the problem otherwise, and the response. */
interface TypedAnswer<D, E> {
  data?: D;
  error?: E;
  response: Response;
}

/** The body of a typed call that must answer `status`; fails with the problem in the message otherwise. */
export function expectData<D, E>(answer: TypedAnswer<D, E>, status: number): D {
  if (answer.response.status !== status || answer.data === undefined)
    throw new Error(`Expected HTTP ${status}, got ${answer.response.status}: ${JSON.stringify(answer.error)}`);
  return answer.data;
}

/** The problem of a typed call that must fail with `status`; fails with the body in the message otherwise. */
export function expectProblem<D, E>(answer: TypedAnswer<D, E>, status: number): E {
  if (answer.response.status !== status || answer.error === undefined)
    throw new Error(
      `Expected HTTP ${status}, got ${answer.response.status}: ${JSON.stringify(answer.error ?? answer.data)}`,
    );
  return answer.error;
}

/** The problem of a typed call that must fail with `status` and carry the payment (a declined charge, a refused cancel). */
export function expectPaymentProblem<D, E extends Problem | PaymentProblem>(
  answer: TypedAnswer<D, E>,
  status: number,
): PaymentProblem {
  const problem = expectProblem(answer, status);
  if (!isPaymentProblem(problem)) throw new Error(`Expected the payment in the problem: ${JSON.stringify(problem)}`);
  return problem;
}
