import { PaystoryMerchant } from '../../paystory-options.interface';
import { PaystorySigner } from '../../signer/paystory-signer';

/** What every request builder needs: who acts, when, and how to sign. */
export interface RequestContext {
  merchant: PaystoryMerchant;
  /** The request's `ediDate` (yyyyMMddHHmmss, Asia/Seoul); it is part of most hashes. */
  ediDate: string;
  signer: PaystorySigner;
}
