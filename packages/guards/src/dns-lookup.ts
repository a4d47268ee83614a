import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '@herald/core';

/** One resolved address of a host. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has; rejects when it has none. */
export type HostLookup = (host: string) => Promise<ResolvedAddress[]>;

export interface DnsLookupOptions {
  /** The whole lookup (A and AAAA, every name server) gives up after this. Default 2000. */
  timeoutMs?: number;
  /** Name servers as `ip` or `ip:port`. Default the system's (`/etc/resolv.conf`). For tests. */
  servers?: string[];
}

const DEFAULT_TIMEOUT_MS = 2_000;
const LOCALHOST: ResolvedAddress[] = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];

/**
 * A name lookup that never occupies libuv's thread pool and always ends: it asks the name servers
 * directly (c-ares `resolve4` and `resolve6` at once), where `dns.lookup` would block one of the
 * pool's four threads (shared with file and crypto work) for as long as a slow server takes.
 * IP literals answer themselves; `localhost` and `*.localhost` are loopback (RFC 6761) without
 * asking anyone. `/etc/hosts` is not read.
 *
 * Resolves with the IPv4 addresses, then the IPv6 ones (either family may be missing).
 *
 * @throws AppError `UNAVAILABLE` when the name has no address, the servers fail, or no answer
 *   came within `timeoutMs`: all may be temporary.
 */
export function createDnsLookup(opts: DnsLookupOptions = {}): HostLookup {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // tries: 1 with the whole budget per try; the race below still bounds several servers.
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (opts.servers !== undefined) resolver.setServers(opts.servers);
  return async function lookup(host) {
    const name = host.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
    const family = isIP(name);
    if (family !== 0) return [{ address: name, family }];
    const lower = name.toLowerCase();
    if (lower === 'localhost' || lower.endsWith('.localhost')) return LOCALHOST;
    const [v4, v6] = await withinDeadline(
      Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]),
      timeoutMs,
      name,
    );
    const addresses = [
      ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 })) : []),
    ];
    if (addresses.length > 0) return addresses;
    const cause = v4.status === 'rejected' ? (v4.reason as unknown) : undefined;
    throw new AppError('UNAVAILABLE', `${name} did not resolve`, { cause });
  };
}

async function withinDeadline<T>(work: Promise<T>, timeoutMs: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AppError('UNAVAILABLE', `DNS lookup of ${name} timed out`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
