import { Clock } from '../clock/clock';
import { PaystorySigner, SigningMerchant } from './paystory-signer';

/*
 * Every expected digest below was computed outside this code base, in a shell:
 *   printf '%s' '<mid><ediDate><value><merchantKey>' | sha256sum
 * never taken from the guide's printed examples (NOTES erratum 1).
 */

const merchant: SigningMerchant = { mid: 'tstmerch1m', merchantKey: 'Sp3cOnly+MadeUpKey/ForUnitTests==' };

function fixedClock(iso: string): Clock {
  return { now: () => new Date(iso) };
}

function givenSigner(iso = '2024-01-05T00:30:00Z'): PaystorySigner {
  return new PaystorySigner(fixedClock(iso));
}

describe(PaystorySigner.name, () => {
  describe('recipes', () => {
    const signer = givenSigner();

    it('reproduces the §11.1 inputs as NOTES erratum 1 computes them, with the key joined across its line break', () => {
      const guideMerchant = {
        mid: 'test00001m',
        merchantKey: 'wEvQ8ZzgGpuEhujNx6++HCOO5XJKhhHJmP5q8UAYsr6j8zL0wIMKdbVmruWKMx0GgBbZwlkx3PUstbe3g1UZAQ==',
      };
      expect(signer.issuance(guideMerchant, '20210325183601', '0')).toBe(
        '254fdb05f375f0907a07544372f2745a2abd651b07035a27475992fe24c65243',
      );
    });

    it('signs a billing-key issuance as mid + ediDate + goodsAmt + key', () => {
      expect(signer.issuance(merchant, '20240105093000', '0')).toBe(
        'b1f817fca3c6c73620a5d1b6f6825ed62f295c99bbc1910872ae97d0d011a630',
      );
    });

    it('signs a charge as mid + ediDate + goodsAmt + key', () => {
      expect(signer.charge(merchant, '20240105153012', '15000')).toBe(
        '1a811529c30b6249dc570f0799abeb636406a92e7726e68b89aa1ae35d7b85a4',
      );
    });

    it('signs a billing-key deletion as mid + ediDate + bid + key', () => {
      expect(signer.deleteBillingKey(merchant, '20240105153012', 'tstmerch1mcb240105093000123456')).toBe(
        '1b1188fcc3c8c13b2546bcbc4a6c9d5e3ca363341df08f8996eeff3503b81d99',
      );
    });

    it('signs a cancel with canAmt (NOTES erratum 2), not the original goodsAmt', () => {
      const hash = signer.cancel(merchant, '20240106000405', '5000');
      expect(hash).toBe('153287b6de64f173bb79730881a7f88d04a464fc5e9a8c69268bfec76cee319f');
      // What the same cancel would hash to with the original 15000 goodsAmt, had §11.4's example been followed.
      expect(hash).not.toBe('15ccb65fde371b80350990e321c90e3cf0066b6e0ac53d8e9244da6b3c03594d');
    });

    it('signs a transaction query by tid as mid + ediDate + tid + key', () => {
      expect(signer.queryByTid(merchant, '20240105153500', 'tstmerch1m01012401051530120001')).toBe(
        'c3cff8b6995cc19e79537d67a27b89f24c5a84dcadedfca7241290550f001915',
      );
    });

    it('signs a transaction query by ordNo with the tid part empty (NOTES item 3)', () => {
      expect(signer.queryByOrderNo(merchant, '20240105153500')).toBe(
        'eacdee36b3386d397d695f01626539f7417b4048899a521bf953f6522e0808ca',
      );
    });

    it('signs a receipt link as mid + key only (NOTES item 5)', () => {
      expect(signer.receipt(merchant)).toBe('7bd3113717665dc33ba052a63fb711c613e25b4734271a09815731b3e165eabf');
    });

    it('computes a notification hashStr as mid + ediDate + goodsAmt + key (NOTES item 4)', () => {
      expect(signer.notification(merchant, '20240105153020', '9900')).toBe(
        'e94fea6c66b4744a97d35289522ba66c09f392b203ce93ff5c4eb2ffc8481bce',
      );
    });

    it('gives a different digest for another merchant key', () => {
      const other = { ...merchant, merchantKey: 'AnotherMadeUpKey==' };
      expect(signer.notification(other, '20240105153020', '9900')).toBe(
        '527edc0978346714dc8f92c45f5a8ea7a6036f954948630359976959aead86df',
      );
    });
  });

  describe('ediDate', () => {
    it.each([
      ['a Seoul morning', '2024-01-05T00:30:00Z', '20240105093000'],
      ['a Seoul afternoon, on the 24-hour clock (NOTES item 11)', '2024-07-01T06:15:30Z', '20240701151530'],
      ['an instant whose UTC and Seoul dates differ', '2024-01-05T15:04:05Z', '20240106000405'],
      ['a new year in Seoul while UTC is still in the old one', '2023-12-31T20:00:00Z', '20240101050000'],
      ['a leap day', '2024-02-28T23:59:59Z', '20240229085959'],
    ])('stamps %s in Asia/Seoul', (_label, instant, expected) => {
      expect(givenSigner(instant).ediDate()).toBe(expected);
    });

    it('reads the injected clock each time rather than once', () => {
      let now = new Date('2024-01-05T00:30:00Z');
      const signer = new PaystorySigner({ now: () => now });
      expect(signer.ediDate()).toBe('20240105093000');
      now = new Date('2024-01-05T00:30:01Z');
      expect(signer.ediDate()).toBe('20240105093001');
    });
  });

  describe('verifyNotification', () => {
    const signer = givenSigner();
    const genuine = {
      ediDate: '20240105153020',
      goodsAmt: '9900',
      hashStr: 'e94fea6c66b4744a97d35289522ba66c09f392b203ce93ff5c4eb2ffc8481bce',
    };

    it('accepts a notification signed with the merchant key', () => {
      expect(signer.verifyNotification(merchant, genuine)).toBe(true);
    });

    it('accepts the same digest written in upper-case hex', () => {
      expect(signer.verifyNotification(merchant, { ...genuine, hashStr: genuine.hashStr.toUpperCase() })).toBe(true);
    });

    it('rejects a notification whose amount was changed', () => {
      expect(signer.verifyNotification(merchant, { ...genuine, goodsAmt: '99000' })).toBe(false);
    });

    it('rejects a notification whose ediDate was changed', () => {
      expect(signer.verifyNotification(merchant, { ...genuine, ediDate: '20240105153021' })).toBe(false);
    });

    it('rejects a notification signed with another key', () => {
      const forged = { ...genuine, hashStr: '527edc0978346714dc8f92c45f5a8ea7a6036f954948630359976959aead86df' };
      expect(signer.verifyNotification(merchant, forged)).toBe(false);
    });

    it.each([
      ['no hashStr', { ediDate: genuine.ediDate, goodsAmt: genuine.goodsAmt }],
      ['an empty hashStr', { ...genuine, hashStr: '' }],
      ['no ediDate', { goodsAmt: genuine.goodsAmt, hashStr: genuine.hashStr }],
      ['no goodsAmt', { ediDate: genuine.ediDate, hashStr: genuine.hashStr }],
      ['a truncated hashStr', { ...genuine, hashStr: genuine.hashStr.slice(0, 63) }],
      ['a hashStr with trailing garbage', { ...genuine, hashStr: `${genuine.hashStr}00` }],
      ['a non-hex hashStr of the right length', { ...genuine, hashStr: 'z'.repeat(64) }],
    ])('is false, without throwing, for %s', (_label, fields) => {
      expect(signer.verifyNotification(merchant, fields)).toBe(false);
    });
  });

  describe('matches', () => {
    const signer = givenSigner();

    it('compares digests case-insensitively and rejects any difference', () => {
      const digest = signer.receipt(merchant);
      expect(signer.matches(digest, digest.toUpperCase())).toBe(true);
      expect(digest.endsWith('f')).toBe(true);
      expect(signer.matches(digest, `${digest.slice(0, 63)}e`)).toBe(false);
      expect(signer.matches(digest, '')).toBe(false);
    });
  });
});
