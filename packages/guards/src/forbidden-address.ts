import { BlockList, isIP } from 'node:net';

function blockList(subnets: [string, number][], type: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of subnets) list.addSubnet(network, prefix, type);
  return list;
}

const LOOPBACK_V4 = blockList([['127.0.0.0', 8]], 'ipv4');
/** IANA's special-purpose IPv4 registry, less the few blocks that are globally reachable. */
const FORBIDDEN_V4 = blockList(
  [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.88.99.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ],
  'ipv4',
);
/** Only global unicast is reachable; ULA, link-local, multicast and the rest fall outside it. */
const GLOBAL_UNICAST_V6 = blockList([['2000::', 3]], 'ipv6');
const FORBIDDEN_V6 = blockList(
  [
    ['2001::', 23],
    ['2001:db8::', 32],
    ['3fff::', 20],
  ],
  'ipv6',
);

/**
 * Whether Herald must refuse to connect to `ip`. Anything that is not an IP address is forbidden.
 * IPv6 forms that embed an IPv4 address (`::ffff:10.0.0.1`, NAT64 `64:ff9b::/96`, 6to4) are
 * judged by that IPv4 address, since the network delivers them there.
 */
export function isForbiddenAddress(ip: string, opts: { allowLoopback: boolean }): boolean {
  const address = ip.replace(/%.*$/, '');
  switch (isIP(address)) {
    case 4:
      if (LOOPBACK_V4.check(address, 'ipv4')) return !opts.allowLoopback;
      return FORBIDDEN_V4.check(address, 'ipv4');
    case 6:
      return isForbiddenV6(address, opts);
    default:
      return true;
  }
}

function isForbiddenV6(address: string, opts: { allowLoopback: boolean }): boolean {
  const g = ipv6Groups(address);
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (zeroUpTo(7) && g[7] === 1) return !opts.allowLoopback;
  // Unspecified and the deprecated IPv4-compatible form: nothing legitimate lives there.
  if (zeroUpTo(6)) return true;
  if (zeroUpTo(5) && g[5] === 0xffff) return isForbiddenAddress(v4(at(g, 6), at(g, 7)), opts);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    return isForbiddenAddress(v4(at(g, 6), at(g, 7)), opts);
  }
  if (g[0] === 0x2002) return isForbiddenAddress(v4(at(g, 1), at(g, 2)), opts);
  if (!GLOBAL_UNICAST_V6.check(address, 'ipv6')) return true;
  return FORBIDDEN_V6.check(address, 'ipv6');
}

/** The eight 16-bit groups of a valid IPv6 address (`isIP` said 6; zone id removed). */
function ipv6Groups(address: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  let text = address;
  if (dotted !== null) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${address.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill =
    tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => parseInt(group, 16));
}

function at(groups: number[], i: number): number {
  return groups[i] ?? 0;
}
