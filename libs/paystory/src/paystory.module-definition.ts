import { ConfigurableModuleBuilder } from '@nestjs/common';
import { PaystoryModuleOptions } from './paystory-options.interface';

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: PAYSTORY_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<PaystoryModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
