import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import type { PaymentsAuthStrategy } from './auth-strategy';
import { DEFAULT_TENANT_ID, type Principal } from './principal';
import { STORED_API_KEYS, type StoredApiKeys } from './stored-api-keys';

/**
 * The default strategy: `Authorization: Bearer <api key>`. A key from `API_KEYS` belongs to the
 * default tenant and its id is its SHA-256 (hex); keys are compared as hashes in constant time, in
 * memory. Any other key is looked up in `api_keys` (`npm run keys`) by the SHA-256 of its secret:
 * its tenant and id come from its row, and it has no fingerprint key of its own (docs/tenants.md).
 */
@Injectable()
export class ApiKeyAuthStrategy implements PaymentsAuthStrategy {
  private readonly keyHashes: Buffer[];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(STORED_API_KEYS) private readonly storedKeys: StoredApiKeys,
  ) {
    this.keyHashes = config.apiKeys.map(sha256);
  }

  async authenticate(request: Request): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new AppError(ErrorCode.Unauthorized, 'Send Authorization: Bearer <api key>');
    const presented = sha256(match[1]);
    if (this.keyHashes.some((known) => timingSafeEqual(known, presented)))
      return { tenantId: DEFAULT_TENANT_ID, keyId: presented.toString('hex'), fingerprintKey: match[1] };
    const stored = await this.storedKeys.authenticate(match[1]);
    if (!stored) throw new AppError(ErrorCode.Unauthorized, 'The API key is not known');
    return { tenantId: stored.tenantId, keyId: stored.id };
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
