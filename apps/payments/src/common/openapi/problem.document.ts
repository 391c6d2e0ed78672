import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { FieldError } from '../errors/app-error';

@ApiSchema({
  name: 'FieldError',
  description: 'One invalid field. The value itself is never repeated: it may be card data.',
})
export class FieldErrorDocument implements FieldError {
  @ApiProperty({ type: String, example: 'amount' })
  field: string;

  @ApiProperty({ type: String, example: 'amount must be a whole number of KRW' })
  message: string;
}

/** The `application/problem+json` body (RFC 9457) every error answers with, as `common/errors/problem.ts` builds it. */
@ApiSchema({ name: 'Problem', description: 'An error (RFC 9457), served as application/problem+json.' })
export class ProblemDocument {
  @ApiProperty({
    type: String,
    description: '`/problems/<code>`: the error code the status has',
    example: '/problems/gateway_refused',
  })
  type: string;

  @ApiProperty({ type: String, example: 'The payment gateway refused the request' })
  title: string;

  @ApiProperty({ type: Number, example: 422 })
  status: number;

  @ApiProperty({ type: String, example: 'The card was not charged' })
  detail: string;

  @ApiPropertyOptional({
    type: String,
    description: "The gateway's result code, where the gateway answered",
    example: '3030',
  })
  code?: string;

  @ApiPropertyOptional({ type: String, description: "The gateway's own message with that code" })
  gatewayMessage?: string;

  @ApiPropertyOptional({
    type: String,
    description: "What the gateway's code means for a retry (docs/gateway-protocol.md), with `code`",
  })
  category?: string;

  @ApiPropertyOptional({ type: () => [FieldErrorDocument], description: 'One entry per invalid field (400)' })
  errors?: FieldErrorDocument[];

  @ApiProperty({
    type: String,
    description: "The request's id (its X-Request-Id, on each of its log lines): quote it to find them",
  })
  correlationId: string;
}
