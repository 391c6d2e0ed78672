import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { isIP } from 'node:net';

/** `false`: trust no proxy; a number: that many hops; a list: these addresses or subnets (Express's syntax). */
export type TrustProxy = boolean | number | readonly string[];

const MAX_HOPS = 100;
const EXPRESS_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * Express's `trust proxy` setting, written as Express reads it: `true`/`false`, a hop count, or a
 * comma-separated list of addresses, subnets and Express's names (`loopback`…).
 */
export function IsTrustProxy(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => parseTrustProxy(String(value))),
    ValidateBy({
      name: 'trustProxy',
      validator: {
        validate: (value: unknown) => trustProxyProblem(value as TrustProxy) === undefined,
        defaultMessage: (args) => trustProxyProblem(args?.value as TrustProxy) ?? '',
      },
    }),
  );
}

function parseTrustProxy(raw: string): TrustProxy {
  const value = raw.trim();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((entry) => entry.trim());
}

function trustProxyProblem(value: TrustProxy): string | undefined {
  if (typeof value === 'boolean') return undefined;
  if (typeof value === 'number')
    return Number.isSafeInteger(value) && value <= MAX_HOPS
      ? undefined
      : `must be a whole number from 0 to ${MAX_HOPS}`;
  const bad = value.find((entry) => !isAddressOrSubnet(entry));
  return bad === undefined
    ? undefined
    : `has "${bad}", which is not an address, a subnet (a.b.c.d/n), loopback, linklocal or uniquelocal`;
}

function isAddressOrSubnet(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || !isIP(address)) return EXPRESS_NAMES.includes(entry);
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128));
}
