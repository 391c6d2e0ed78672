import { gatewayAnswer, OTHER_ERROR, type GatewayAnswer } from './gateway-answer';

/**
 * The first field whose value differs from what the guide fixes it to (`trxCd` "0", `quotaMon` "00"
 * at issuance…), as a 9998 answer naming the field; undefined when all match.
 */
export function refuseUnfixedValues(
  fields: Record<string, string>,
  fixed: Record<string, string>,
  echo: Record<string, unknown>,
): GatewayAnswer | undefined {
  for (const [name, expected] of Object.entries(fixed)) {
    if (fields[name] !== expected)
      return gatewayAnswer(
        OTHER_ERROR,
        echo,
        `${name}: "${expected}" 고정값이어야 합니다 (받은 값 "${fields[name] ?? ''}")`,
      );
  }
  return undefined;
}
