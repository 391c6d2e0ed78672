import { BlockList, isIP } from 'node:net';

/**
 * The sources allowed to post notifications (PAYSTORY_NOTI_ALLOW): addresses and subnets
 * (`203.0.113.7`, `203.0.113.0/24`, IPv6 alike), matched with Node's own `net.BlockList`, which also
 * matches an IPv4-mapped IPv6 address (`::ffff:203.0.113.7`) against an IPv4 rule. Empty: any source.
 */
export class NotificationSourceAllowList {
  private readonly list = new BlockList();
  readonly isOpen: boolean;

  /** Throws, naming PAYSTORY_NOTI_ALLOW (the boot stops), on an entry that is neither an address nor a subnet. */
  constructor(entries: readonly string[]) {
    this.isOpen = entries.length === 0;
    for (const entry of entries) {
      const [address, bits, extra] = entry.split('/');
      const family = isIP(address);
      const maxBits = family === 4 ? 32 : 128;
      if (!family || extra !== undefined || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits)))
        throw new Error(
          `Configuration error: PAYSTORY_NOTI_ALLOW has "${entry}", which is not an address or a subnet (a.b.c.d/n)`,
        );
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(bits), type);
    }
  }

  allows(address: string | undefined): boolean {
    if (this.isOpen) return true;
    const family = address ? isIP(address) : 0;
    return !!address && family !== 0 && this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}
