import type { Request } from 'express';
import type { SignedIn } from './console-session.service';

/** A console request; the session guard leaves the signed-in operator and session on it. */
export interface ConsoleRequest extends Request {
  signedIn?: SignedIn;
}

/** Refusals the console answers with a page of its own (the console's error filter renders them). */
export class ConsoleRefusal extends Error {
  constructor(
    readonly status: 401 | 403 | 429,
    readonly reason: 'signInRequired' | 'csrf' | 'badCredentials' | 'tooMany',
  ) {
    super(reason);
    this.name = 'ConsoleRefusal';
  }
}
