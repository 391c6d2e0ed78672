import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerParams } from './logger-params';

/**
 * pino through nestjs-pino (docs/operations/logs.md): JSON lines, or pino-pretty for a person at a
 * terminal; a request id on every line of a request; card data and keys redacted. Imported once,
 * by the root module: nestjs-pino's module is global and mounts its request middleware once.
 */
@Module({ imports: [LoggerModule.forRoot(loggerParams())] })
export class LoggingModule {}
