import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export interface PaymentsClientOptions {
  /** The service's base URL, e.g. `https://payments.example.com` (paths carry their `/v1`). */
  baseUrl: string;
  /** One of the service's `API_KEYS`, sent as `Authorization: Bearer <apiKey>` on every request. */
  apiKey: string;
  /** The fetch to send requests with (a proxy's, an instrumented one); default: the global fetch. */
  fetch?: (request: Request) => Promise<Response>;
  /** Headers sent on every request, e.g. a `User-Agent`. */
  headers?: Record<string, string>;
}

/** An openapi-fetch client typed by openapi.json: `client.POST('/v1/payments', { body })` answers `{ data, error, response }`. */
export type PaymentsClient = Client<paths>;

export function createPaymentsClient(options: PaymentsClientOptions): PaymentsClient {
  // Caught here: an unset variable would otherwise go out as `Bearer undefined` and come back a bare 401.
  if (!options.apiKey) throw new Error('createPaymentsClient: apiKey is required');
  const client = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch, headers: options.headers });
  client.use(bearer(options.apiKey));
  return client;
}

function bearer(apiKey: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${apiKey}`);
      return request;
    },
  };
}

/** A 422 or 502 on a charge or cancel carries the payment as it now stands; other problems do not. */
export function isPaymentProblem(problem: Problem | PaymentProblem | undefined): problem is PaymentProblem {
  return problem !== undefined && 'payment' in problem;
}

type Schemas = components['schemas'];

export type Payment = Schemas['PaymentResponse'];
export type PaymentStatus = Payment['status'];
export type PaymentList = Schemas['PaymentListResponse'];
export type Cancellation = Schemas['CancellationResponse'];
export type Receipt = Schemas['ReceiptResponse'];
export type BillingKey = Schemas['BillingKeyResponse'];
export type BillingKeyList = Schemas['BillingKeyListResponse'];
export type AuthSession = Schemas['AuthSessionResponse'];
export type Subscription = Schemas['SubscriptionResponse'];
export type SubscriptionList = Schemas['SubscriptionListResponse'];
export type SubscriptionCharge = Schemas['SubscriptionChargeResponse'];
export type DomainEvent = Schemas['DomainEventResponse'];
export type EventPage = Schemas['EventPageResponse'];
export type ReconciliationRun = Schemas['ReconciliationRunResponse'];
export type ReconciliationReport = Schemas['ReconciliationReportResponse'];

/** An `application/problem+json` body: every error the API answers. */
export type Problem = Schemas['Problem'];
/** A problem that carries the payment (a declined charge, a refused cancel). */
export type PaymentProblem = Schemas['PaymentProblem'];
export type FieldError = Schemas['FieldError'];

export type CreateBillingKeyRequest = Schemas['CreateBillingKeyDto'];
export type CreateAuthSessionRequest = Schemas['CreateAuthSessionDto'];
export type ChargeRequest = Schemas['CreatePaymentDto'];
export type CancelRequest = Schemas['CancelPaymentDto'];
export type CreateSubscriptionRequest = Schemas['CreateSubscriptionDto'];
export type CreateReconciliationRequest = Schemas['CreateReconciliationDto'];
