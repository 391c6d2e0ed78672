import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { enumValues } from '../../common/openapi/enum-values';
import type { authSessionView } from '../auth-session.view';
import type { AuthSessionStatus } from '../entities/auth-session.entity';

type AuthSessionView = ReturnType<typeof authSessionView>;

export class AuthSessionFailureResponse implements NonNullable<AuthSessionView['failure']> {
  @ApiProperty({ type: String, description: "The gateway's result code, or the service's (EXPIRED, MISMATCH…)" })
  code: string;

  @ApiProperty({ type: String, nullable: true })
  message: string | null;
}

/**
 * A registration in the gateway's auth window (§4.1): what a merchant page needs to open it,
 * `fields.encData` included, the merchant key never; and, once it ends, the billing key it issued.
 */
export class AuthSessionResponse implements AuthSessionView {
  @ApiProperty({ type: String, example: 'auth_2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e' })
  id: string;

  @ApiProperty({ type: String })
  customerId: string;

  @ApiProperty({ enum: enumValues<'CARD' | 'PHONE'>({ CARD: true, PHONE: true }) })
  payMethod: 'CARD' | 'PHONE';

  @ApiProperty({
    enum: enumValues<AuthSessionStatus>({ OPEN: true, COMPLETING: true, COMPLETED: true, FAILED: true, UNKNOWN: true }),
  })
  status: AuthSessionStatus;

  @ApiProperty({ type: Number, description: 'Phone billing: the first charge, whole KRW; 0 for a card' })
  amount: number;

  @ApiProperty({ type: String, format: 'date-time' })
  expiresAt: string;

  @ApiProperty({ type: String, format: 'uri', description: 'The sample registration page this service serves for it' })
  pageUrl: string;

  @ApiProperty({ type: String, format: 'uri', description: 'Where the auth window posts its answer' })
  returnUrl: string;

  @ApiProperty({ type: String, example: 'payInit' })
  formName: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uri',
    description: "The gateway's pgAsistant.js (on create and prepare)",
  })
  scriptUrl: string | undefined;

  @ApiPropertyOptional({
    type: String,
    format: 'uri',
    description: 'Where the script posts the form (on create and prepare)',
  })
  actionUrl: string | undefined;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The form fields as guide §4.1 names them, `encData` included (on create and prepare)',
  })
  fields: Record<string, string> | undefined;

  @ApiProperty({ type: String, nullable: true, description: 'The billing key issued, once COMPLETED' })
  billingKeyId: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Phone billing: the payment made at issuance' })
  paymentId: string | null;

  @ApiProperty({ type: () => AuthSessionFailureResponse, nullable: true })
  failure: AuthSessionFailureResponse | null;
}
