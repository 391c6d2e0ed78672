import 'reflect-metadata';
import { Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** One POST route that does nothing: the framework's own cost per request. */
@Controller()
class BareController {
  @Post('bare')
  @HttpCode(201)
  nothing(): Record<string, never> {
    return {};
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

/**
 * The ratio benchmarks' baseline: a minimal Nest app on the service's HTTP adapter
 * (platform-express, JSON body parser on), built and started as the service is. Listens on PORT.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(BareModule, { logger: ['error', 'warn'] });
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
}

void main();
