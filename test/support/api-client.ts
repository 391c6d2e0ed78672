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

/** Calls the service at `baseUrl` with the test API key; a test's own `authorization` header wins. */
export function apiCaller(baseUrl: string): ApiCaller {
  return {
    api: <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      callApi<T>(baseUrl, method, path, body, { authorization: `Bearer ${TEST_API_KEY}`, ...headers }),
  };
}

/** Fails with the response body in the message, which says more than a bare status mismatch. */
export function expectStatus(response: ApiResponse<unknown>, status: number): void {
  if (response.status !== status)
    throw new Error(`Expected HTTP ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
}
