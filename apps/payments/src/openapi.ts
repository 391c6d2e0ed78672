import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * `GET /docs` (and `/docs-json`): the OpenAPI description generated from the controllers and DTOs
 * (the `@nestjs/swagger` compiler plugin in nest-cli.json reads their types and validators).
 */
export function publishOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('PAY-STORY payments service')
    .setDescription(
      'Billing keys, charges, refunds, receipts, gateway notifications and subscriptions. Amounts are whole KRW. Errors are application/problem+json.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'One of API_KEYS' })
    .addSecurityRequirements('bearer')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config));
}
