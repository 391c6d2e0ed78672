import type { LoggerService } from '@nestjs/common';

/** While a dependency stays down, how often a reminder is logged, with what it refused since. */
export const OUTAGE_REMINDER_MS = 10_000;

/**
 * The log of a dependency that refuses work while it does not answer: one warning when it stops,
 * then at most one every {@link OUTAGE_REMINDER_MS} with the count refused since it stopped, and one
 * line when it answers again. Not a line per refused request: at a few hundred requests a second, an
 * outage would bury every other line.
 */
export class OutageLog {
  private outage?: { since: number; refused: number; remindedAt: number };

  constructor(
    private readonly logger: LoggerService,
    /** What is down, as the start of a sentence: "The gateway rate's Redis". */
    private readonly what: string,
    /** What is refused meanwhile, as a plural noun: "slots". */
    private readonly refusals: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** One request refused because the dependency failed with `reason` (its own message, for the log only). */
  refused(reason: string): void {
    const now = this.now();
    if (!this.outage) {
      this.outage = { since: now, refused: 1, remindedAt: now };
      this.logger.warn(`${this.what} does not answer (${reason}): ${this.refusals} are refused until it does`);
      return;
    }
    this.outage.refused++;
    if (now - this.outage.remindedAt < OUTAGE_REMINDER_MS) return;
    this.outage.remindedAt = now;
    const { refused, since } = this.outage;
    this.logger.warn(
      `${this.what} still does not answer (${reason}): ${refused} ${this.refusals} refused in ${now - since} ms`,
    );
  }

  /** The dependency answered: ends an outage, if there was one, with its count. */
  answered(): void {
    if (!this.outage) return;
    const { refused, since } = this.outage;
    this.outage = undefined;
    this.logger.log(`${this.what} answers again: ${refused} ${this.refusals} refused in ${this.now() - since} ms`);
  }
}
