import { cardCompanyName } from '../../catalogue/card-companies';
import { CardSummary } from '../paystory-client.types';
import { wireText } from './wire-values';

/**
 * The card as an answer describes it: the gateway's masked number and the company codes.
 * The issuer's name comes from the §13 table, else from the gateway's `fnNm`.
 */
export function cardSummaryFrom(fields: Record<string, unknown>): CardSummary {
  const issuerCode = wireText(fields.appCardCd);
  const cardType = wireText(fields.cardType);
  return {
    masked: wireText(fields.cardNo),
    issuerCode,
    issuerName: (issuerCode && cardCompanyName(issuerCode)) || wireText(fields.fnNm),
    acquirerCode: wireText(fields.acqCardCd),
    type: cardType === '0' ? 'credit' : cardType === '1' ? 'check' : undefined,
  };
}
