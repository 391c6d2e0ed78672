import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { STORED_API_KEYS } from '../common/auth/stored-api-keys';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyEntity } from './entities/api-key.entity';

/**
 * The tenants' API keys (`api_keys`): ApiKeysService, also as STORED_API_KEYS, which the default
 * auth strategy (ApiKeyAuthStrategy) reads after `API_KEYS`.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity], PAYMENTS_DATA_SOURCE)],
  providers: [ApiKeysService, { provide: STORED_API_KEYS, useExisting: ApiKeysService }],
  exports: [ApiKeysService, STORED_API_KEYS],
})
export class ApiKeysModule {}
