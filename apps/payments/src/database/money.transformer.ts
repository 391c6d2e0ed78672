import { ValueTransformer } from 'typeorm';

/**
 * Money is whole KRW. Columns are BIGINT, which PostgreSQL hands back as strings; this turns
 * them back into safe integers and refuses anything that is not one.
 */
export const moneyTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => {
    if (value === null || value === undefined) return value;
    if (!Number.isSafeInteger(value)) throw new Error(`Money must be a whole number of KRW, got ${value}`);
    return value;
  },
  from: (value: string | number | null) => (value === null || value === undefined ? value : Number(value)),
};
