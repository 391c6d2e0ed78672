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
