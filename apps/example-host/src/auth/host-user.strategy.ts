import { Injectable } from '@nestjs/common';
import type { PaymentsAuthStrategy, Principal } from '../../../payments/src/payments-module';
import type { HostRequest } from './host-user';

/**
 * The payments API as the host's signed-in users call it, instead of API keys: the principal is
 * the user the host's guard established, in the user's tenant. No user: 401 from PaymentsModule.
 */
@Injectable()
export class HostUserAuthStrategy implements PaymentsAuthStrategy {
  authenticate(request: HostRequest): Principal | undefined {
    return request.user && { tenantId: request.user.tenantId, keyId: `user:${request.user.id}` };
  }
}
