import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import type { StoredApiKeys } from '../common/auth/stored-api-keys';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { ApiKeyError } from './api-key.error';
import { newKeyId, newSecret, SECRET_PREFIX, secretHash } from './api-key-secret';
import { ApiKeyEntity } from './entities/api-key.entity';
import { tenantIdProblem } from '../config/tenant-id';

const MAX_NAME_LENGTH = 100;

/** A new key or a rotated one: the secret is in no other answer and is not stored. */
export interface IssuedApiKey {
  id: string;
  secret: string;
}

/** What a list shows of a key: never its secret, nor the secret's hash. */
export type ApiKeySummary = Omit<ApiKeyEntity, 'secretHash'>;

/**
 * The tenants' API keys (table `api_keys`): the one writer of the table, used by `npm run keys`
 * and by tests; the auth strategy reads it through `authenticate`. There is no cache: a rotated or
 * revoked secret stops working on every instance at its next request (one indexed lookup).
 */
@Injectable()
export class ApiKeysService implements StoredApiKeys {
  constructor(@InjectRepository(ApiKeyEntity, PAYMENTS_DATA_SOURCE) private readonly keys: Repository<ApiKeyEntity>) {}

  async create(tenantId: string, name?: string): Promise<IssuedApiKey> {
    const problem = tenantIdProblem(tenantId);
    if (problem) throw new ApiKeyError(`tenant id ${JSON.stringify(tenantId)} ${problem}`);
    const label = name?.trim() || null;
    if (label && [...label].length > MAX_NAME_LENGTH)
      throw new ApiKeyError(`name must be at most ${MAX_NAME_LENGTH} characters`);
    const secret = newSecret();
    const key = this.keys.create({
      id: newKeyId(),
      tenantId,
      name: label,
      secretHash: secretHash(secret),
      rotatedAt: null,
      revokedAt: null,
    });
    await this.keys.insert(key);
    return { id: key.id, secret };
  }

  /** A new secret for the same key id; the old secret stops working at once. A revoked key cannot be rotated. */
  async rotate(id: string): Promise<IssuedApiKey> {
    const secret = newSecret();
    const result = await this.keys.update(
      { id, revokedAt: IsNull() },
      { secretHash: secretHash(secret), rotatedAt: new Date() },
    );
    if (!result.affected) throw await this.unusable(id);
    return { id, secret };
  }

  /** Revokes the key for good. Revoking a revoked key changes nothing. */
  async revoke(id: string): Promise<void> {
    const result = await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected && !(await this.keys.existsBy({ id }))) throw this.unknown(id);
  }

  /** Every key, or the tenant's, oldest first; revoked keys included (they show `revokedAt`). */
  list(tenantId?: string): Promise<ApiKeySummary[]> {
    return this.keys.find({
      select: { id: true, tenantId: true, name: true, createdAt: true, rotatedAt: true, revokedAt: true },
      where: tenantId === undefined ? {} : { tenantId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** The key whose current secret this is, unless it is revoked. Looked up by the secret's hash. */
  async authenticate(secret: string): Promise<{ id: string; tenantId: string } | undefined> {
    if (!secret.startsWith(SECRET_PREFIX)) return undefined;
    const key = await this.keys.findOne({
      select: { id: true, tenantId: true },
      where: { secretHash: secretHash(secret), revokedAt: IsNull() },
    });
    return key ? { id: key.id, tenantId: key.tenantId } : undefined;
  }

  private async unusable(id: string): Promise<ApiKeyError> {
    return (await this.keys.existsBy({ id })) ? new ApiKeyError(`API key ${id} is revoked`) : this.unknown(id);
  }

  private unknown(id: string): ApiKeyError {
    return new ApiKeyError(`no API key has the id ${id}`);
  }
}
