/** The injection token of the one {@link WindowCounter} of the process (GatewayModule chooses which). */
export const WINDOW_COUNTER = Symbol('WINDOW_COUNTER');

/** Counts the slots taken in one merchant's window, wherever the count is kept. */
export interface WindowCounter {
  /** Takes one slot of `merchant`'s window `windowStart` (epoch seconds) if fewer than `limit` are taken; whether it did. */
  take(merchant: string, windowStart: number, limit: number): Promise<boolean>;
  /**
   * Takes a slot of `windowStart` and, if that worked, one of the window after it: for a request
   * that may reach the gateway in either. Whether both were taken (a full next window leaves the
   * first slot spent, on the safe side). One round trip, like {@link take}.
   */
  takeSpanning(merchant: string, windowStart: number, limit: number): Promise<boolean>;
  /** Gives one slot back to each of `merchant`'s windows `windowStarts` (never below none taken). */
  giveBack(merchant: string, windowStarts: readonly number[]): Promise<void>;
  /** Forgets windows long past `windowStart` (the current one), for every merchant: a background job's work, never a taker's. */
  forgetOld(windowStart: number): Promise<void>;
  /**
   * Only a counter kept in a server of its own (Redis): whether that server answers, for readiness.
   * The database's counter has none, since readiness checks the database already.
   */
  ping?(): Promise<boolean>;
}
