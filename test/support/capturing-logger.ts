import type { LoggerService } from '@nestjs/common';

/** Keeps every line a Nest logger is given, so that a test can search what the service logged. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];

  log(...args: unknown[]): void {
    this.capture(args);
  }
  error(...args: unknown[]): void {
    this.capture(args);
  }
  warn(...args: unknown[]): void {
    this.capture(args);
  }
  debug(...args: unknown[]): void {
    this.capture(args);
  }
  verbose(...args: unknown[]): void {
    this.capture(args);
  }
  fatal(...args: unknown[]): void {
    this.capture(args);
  }

  private capture(args: unknown[]): void {
    this.lines.push(
      args
        .map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.message} ${a.stack}` : JSON.stringify(a)))
        .join(' '),
    );
  }
}

/** One line the service's pino logger wrote, parsed. */
export type LogLine = Record<string, unknown> & { level: number; msg?: string; requestId?: string; context?: string };

/** A pino destination (`logDestination`) that keeps the service's JSON log lines, raw and parsed. */
export class CapturedLog {
  readonly raw: string[] = [];

  write(chunk: string): void {
    this.raw.push(...chunk.split('\n').filter((line) => line.length > 0));
  }

  /** Every line parsed as JSON (a line that is not JSON fails the test here). */
  lines(): LogLine[] {
    return this.raw.map((line) => JSON.parse(line) as LogLine);
  }

  /** The lines logged while handling the request with this id. */
  ofRequest(requestId: string): LogLine[] {
    return this.lines().filter((line) => line.requestId === requestId);
  }
}
