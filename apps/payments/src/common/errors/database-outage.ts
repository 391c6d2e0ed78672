import { Logger } from '@nestjs/common';
import { OutageLog } from '../logging/outage-log';

/**
 * The database's outages as the log tells them: the first request refused for it (503), a reminder
 * with the count while it lasts, and its end, signalled by the instance heartbeat's next write
 * (InstanceHeartbeat). Not a line per request: at a few hundred requests a second an outage would
 * bury every other line, and each refused request still has its own request line (status 503).
 * One per process, as the process's log is.
 */
export const databaseOutage = new OutageLog(new Logger('Database'), 'The database', 'requests');
