import { BillingKeyEntity } from './entities/billing-key.entity';

/** The public shape of a billing key (CONTRACT.md). Never carries the bid itself. */
export function billingKeyView(key: BillingKeyEntity) {
  return {
    id: key.id,
    customerId: key.customerId,
    payMethod: key.payMethod,
    status: key.status,
    cardNoMasked: key.cardNoMasked,
    cardCompanyCode: key.cardCompanyCode,
    cardCompanyName: key.cardCompanyName,
    issuedAt: key.issuedAt.toISOString(),
    deletedAt: key.deletedAt ? key.deletedAt.toISOString() : null,
  };
}

export type BillingKeyView = ReturnType<typeof billingKeyView>;
