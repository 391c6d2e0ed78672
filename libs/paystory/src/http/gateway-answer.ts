import { PaystoryCharset } from '../charset/charset';
import { EndpointKey } from '../endpoints/endpoint-catalogue';

/** A gateway answer that arrived whole: HTTP 2xx and a JSON object carrying `resultCd`. */
export interface GatewayAnswer {
  endpoint: EndpointKey;
  httpStatus: number;
  /** Every field of the JSON answer, unknown ones included (§1.2.3, NOTES item 12). */
  fields: Record<string, unknown>;
  /** The body exactly as received, decoded in `charset`. */
  body: string;
  /** The charset the body was decoded with (the response's, else the request's). */
  charset: PaystoryCharset;
}

/** Per-call settings that override the module options. */
export interface GatewayCallOptions {
  /** Deadline for the whole exchange, in ms (defaults to the module's `timeoutMs`). */
  timeoutMs?: number;
  /** Charset of the request body and of its size checks (defaults to the module's `charset`). */
  charset?: PaystoryCharset;
  /** Nothing is sent after this instant (epoch ms); see `CallOptions.sendBy`. */
  sendBy?: number;
}
