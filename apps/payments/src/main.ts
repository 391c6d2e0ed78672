import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { startService } from './bootstrap';

startService().catch((error: Error) => {
  new Logger('Bootstrap').error(error.message);
  process.exit(1);
});
