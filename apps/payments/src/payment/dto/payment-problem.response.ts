import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ProblemDocument } from '../../common/openapi/problem.document';
import { PaymentResponse } from './payment.response';

/** A charge or cancel the gateway refused (422) or could not be sent (502): the problem, with the payment as it now stands. */
@ApiSchema({ name: 'PaymentProblem' })
export class PaymentProblemResponse extends ProblemDocument {
  @ApiProperty({
    type: () => PaymentResponse,
    description: 'The payment as it now stands (DECLINED for a refused charge)',
  })
  payment: PaymentResponse;
}
