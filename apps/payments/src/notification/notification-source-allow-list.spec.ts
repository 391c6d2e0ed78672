import { NotificationSourceAllowList } from './notification-source-allow-list';

describe(NotificationSourceAllowList.name, () => {
  it('allows any source when the list is empty', () => {
    expect(new NotificationSourceAllowList([]).allows('198.51.100.1')).toBe(true);
  });

  it('allows listed addresses and addresses inside listed subnets, IPv4 and IPv6', () => {
    const list = new NotificationSourceAllowList(['203.0.113.7', '198.51.100.0/24', '2001:db8::/32']);

    expect(list.allows('203.0.113.7')).toBe(true);
    expect(list.allows('::ffff:203.0.113.7')).toBe(true);
    expect(list.allows('198.51.100.200')).toBe(true);
    expect(list.allows('2001:db8::1')).toBe(true);
    expect(list.allows('203.0.113.8')).toBe(false);
    expect(list.allows('198.51.101.1')).toBe(false);
    expect(list.allows('2001:db9::1')).toBe(false);
    expect(list.allows(undefined)).toBe(false);
    expect(list.allows('not-an-address')).toBe(false);
  });

  it.each(['203.0.113', '203.0.113.0/33', '203.0.113.0/24/1', 'gateway.example', '2001:db8::/129'])(
    'stops the boot naming PAYSTORY_NOTI_ALLOW for the entry %p',
    (entry) => {
      expect(() => new NotificationSourceAllowList([entry])).toThrow(/PAYSTORY_NOTI_ALLOW has "/);
    },
  );
});
