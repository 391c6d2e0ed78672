import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The bearer tokens a scrape of `/metrics` must carry, compared as hashes in constant time like the
 * API keys. No token at all means the scrape is open (METRICS_PORT without METRICS_TOKEN).
 */
export class MetricsCredentials {
  private readonly hashes: Buffer[];

  /** `name` says in a 401 what was expected, e.g. `METRICS_TOKEN`; never a token itself. */
  constructor(
    tokens: readonly string[],
    readonly name: string,
  ) {
    this.hashes = tokens.map(sha256);
  }

  get open(): boolean {
    return this.hashes.length === 0;
  }

  /** Undefined when the Authorization header is accepted, else why it is not (a 401's detail). */
  refusal(authorization: string | undefined): string | undefined {
    if (this.open) return undefined;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return `Send Authorization: Bearer <${this.name}>`;
    const presented = sha256(match[1]);
    return this.hashes.some((known) => timingSafeEqual(known, presented))
      ? undefined
      : `The bearer token is not ${this.name}`;
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
