import type { LoggerService } from '@nestjs/common';
import { OUTAGE_REMINDER_MS, OutageLog } from './outage-log';

describe('OutageLog', () => {
  let lines: string[];
  let now: number;
  let log: OutageLog;

  beforeEach(() => {
    lines = [];
    now = 1_000_000;
    const logger: LoggerService = {
      log: (message: string) => lines.push(`log ${message}`),
      warn: (message: string) => lines.push(`warn ${message}`),
      error: (message: string) => lines.push(`error ${message}`),
    };
    log = new OutageLog(logger, "The gateway rate's Redis", 'slots', () => now);
  });

  it('warns once when the dependency stops answering, not once per refusal', () => {
    for (let i = 0; i < 500; i++) log.refused('connect ECONNREFUSED');

    expect(lines).toEqual([
      "warn The gateway rate's Redis does not answer (connect ECONNREFUSED): slots are refused until it does",
    ]);
  });

  it('reminds at most once per interval while it stays down, with the refusals since it stopped', () => {
    log.refused('a');
    now += OUTAGE_REMINDER_MS - 1;
    log.refused('b');
    now += 1;
    log.refused('Command timed out');
    now += 1_000;
    log.refused('d');

    expect(lines.slice(1)).toEqual([
      `warn The gateway rate's Redis still does not answer (Command timed out): 3 slots refused in ${OUTAGE_REMINDER_MS} ms`,
    ]);
  });

  it('says when it answers again, once, and starts afresh at the next outage', () => {
    log.answered();
    log.refused('a');
    log.refused('b');
    now += 2_500;
    log.answered();
    log.answered();
    log.refused('c');

    expect(lines).toEqual([
      "warn The gateway rate's Redis does not answer (a): slots are refused until it does",
      "log The gateway rate's Redis answers again: 2 slots refused in 2500 ms",
      "warn The gateway rate's Redis does not answer (c): slots are refused until it does",
    ]);
  });
});
