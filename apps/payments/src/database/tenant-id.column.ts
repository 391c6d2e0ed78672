import { Column } from 'typeorm';
import { DEFAULT_TENANT_ID } from '../common/auth/principal';

/**
 * The tenant a row belongs to (`tenant_id`, migration 1764172400000). Writers set it from the
 * principal or the parent row; the default only mirrors the column's, for rows from before tenants.
 */
export function TenantIdColumn(): PropertyDecorator {
  return Column({ name: 'tenant_id', type: 'varchar', length: 64, default: DEFAULT_TENANT_ID });
}
