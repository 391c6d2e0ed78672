import { Inject, Injectable } from '@nestjs/common';
import type { PaystoryCharset } from '@app/paystory/charset/charset';
import { CARD_DATA_FIELDS, CREDENTIAL_FIELDS, type EndpointKey } from '@app/paystory/endpoints/endpoint-catalogue';
import { REDACTED } from '@app/paystory/redaction/paystory-redactor';
import { maskCardNumber } from '../cards/masking';
import { SANDBOX_SETTINGS, type SandboxSettings } from '../config/sandbox-settings';
import type { FaultName } from '../faults/fault.types';

/** What the sandbox received on one call, for tests to inspect (`GET /__sandbox/requests`). */
export interface ReceivedRequest {
  id: number;
  endpoint: EndpointKey;
  method: string;
  path: string;
  /** The fields as received, card data masked and hashes redacted. */
  fields: Record<string, string>;
  charset: PaystoryCharset;
  receivedAt: string;
  /** The result code answered (also when a fault then lost the answer). */
  resultCd?: string;
  resultMsg?: string;
  fault?: FaultName;
  /** When a `late-processing` request was finally processed (its `resultCd` is set then). */
  processedAt?: string;
  /** HTTP status sent; absent when no answer was sent (hang, reset). */
  httpStatus?: number;
}

/**
 * The card number is kept masked; expiry, birth date, password and every hash are redacted. The
 * billing key stays readable: it is the sandbox's own made-up credential and tests need to see
 * which key was charged.
 */
const REDACTED_FIELDS: ReadonlySet<string> = new Set(
  [...CARD_DATA_FIELDS, ...CREDENTIAL_FIELDS].filter((f) => f !== 'cardNo' && f !== 'bid'),
);

@Injectable()
export class RequestLog {
  private entries: ReceivedRequest[] = [];
  private nextId = 1;

  constructor(@Inject(SANDBOX_SETTINGS) private readonly settings: SandboxSettings) {}

  record(
    endpoint: EndpointKey,
    method: string,
    path: string,
    fields: Record<string, string>,
    charset: PaystoryCharset,
  ): ReceivedRequest {
    const entry: ReceivedRequest = {
      id: this.nextId++,
      endpoint,
      method,
      path,
      fields: scrub(fields),
      charset,
      receivedAt: this.settings.clock.now().toISOString(),
    };
    this.entries.push(entry);
    return entry;
  }

  list(endpoint?: string): ReceivedRequest[] {
    return endpoint ? this.entries.filter((e) => e.endpoint === endpoint) : [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}

export function scrub(fields: Record<string, string>): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'cardNo') copy[name] = maskCardNumber(value);
    else copy[name] = REDACTED_FIELDS.has(name) && value !== '' ? REDACTED : value;
  }
  return copy;
}
