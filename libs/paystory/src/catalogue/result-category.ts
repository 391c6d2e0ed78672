/**
 * What a result code means for the caller, independent of which table it came from.
 * - `success`: the gateway did what was asked.
 * - `declined`: the card, carrier or customer refused (a decline); `hardDecline` says whether a retry can help.
 * - `merchant_error`: our request or our merchant set-up is wrong; fix configuration, do not retry.
 * - `already_done`: the state asked for already holds (already cancelled, already registered).
 * - `retry_later`: a temporary condition at the gateway; the same request may succeed later.
 * - `unknown`: the gateway says nothing usable.
 */
export type ResultCategory = 'success' | 'declined' | 'merchant_error' | 'already_done' | 'retry_later' | 'unknown';

/** The table of the guide a code comes from. */
export type ResultCodeGroup = 'card' | 'billing' | 'cancel' | 'query' | 'auth' | 'notification' | 'passthrough';

export interface ResultCodeInfo {
  code: string;
  /** The guide's message (Korean), or the gateway's own message for pass-through codes. */
  message: string;
  category: ResultCategory;
  group: ResultCodeGroup;
  /** A decline that no retry of the same card can fix (lost, stolen, expired, closed…). */
  hardDecline: boolean;
  /** Whether the guide lists this code; codes it does not list are the partner's own, passed through (§12.1). */
  known: boolean;
}

export interface CardCompany {
  code: string;
  name: string;
}
