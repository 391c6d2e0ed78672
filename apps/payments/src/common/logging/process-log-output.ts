import type { DestinationStream } from 'pino';

/**
 * Where this process's pino lines go. nestjs-pino builds one pino logger per process, the first time
 * its module is instantiated (as Nest keeps one static logger): a service started later in the same
 * process, as the tests do, points that logger at its own output here and sets its level.
 */
class ProcessLogOutput implements DestinationStream {
  private target: DestinationStream = process.stdout;

  write(line: string): void {
    this.target.write(line);
  }

  switchTo(target: DestinationStream): void {
    this.target = target;
  }
}

export const PROCESS_LOG_OUTPUT = new ProcessLogOutput();
