import { Inject, Injectable, ValidationPipe } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { validationPipeOptions } from './validation-pipe';

/** The service's validation pipe as an injectable, so that controllers bind it themselves (not app-wide). */
@Injectable()
export class PaymentsValidationPipe extends ValidationPipe {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(validationPipeOptions(config.paystory.charset));
  }
}
