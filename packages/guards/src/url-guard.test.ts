import { AppError } from '@herald/core';
import { createUrlGuard } from './url-guard';
import type { ResolvedAddress, UrlGuardOptions } from './url-guard';

const PUBLIC_V4 = '93.184.215.14';
const PUBLIC_V6 = '2606:2800:21f:cb07:6820:80da:af6b:8b2c';

/** A DNS that knows only the names in `zone`; anything else is NXDOMAIN. */
function fakeDns(zone: Record<string, string[]>) {
  const calls: string[] = [];
  const lookup = (host: string): Promise<ResolvedAddress[]> => {
    calls.push(host);
    const addresses = zone[host];
    if (addresses === undefined) {
      return Promise.reject(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }),
      );
    }
    return Promise.resolve(
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
  return { lookup, calls };
}

function guardWith(opts: Partial<UrlGuardOptions> = {}) {
  return createUrlGuard({ allowLoopback: false, allowHttp: false, ...opts });
}

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe('createUrlGuard', () => {
  const dns = fakeDns({
    'public.test': [PUBLIC_V4, PUBLIC_V6],
    'internal.test': ['10.0.0.5'],
    'mixed.test': [PUBLIC_V4, '192.168.0.10'],
    'mixed6.test': [PUBLIC_V4, 'fd00::5'],
    'metadata.test': ['169.254.169.254'],
    'localhost.test': ['127.0.0.1'],
  });

  it('allows an https URL whose host resolves to public addresses and returns them', async () => {
    const guard = guardWith({ lookup: dns.lookup });

    const target = await guard.check('https://public.test/hooks?token=abc');

    expect(target.hostname).toBe('public.test');
    expect(target.addresses.map((a) => a.address)).toEqual([PUBLIC_V4, PUBLIC_V6]);
    expect(target.url.href).toBe('https://public.test/hooks?token=abc');
  });

  it.each([
    'https://internal.test/',
    'https://mixed.test/',
    'https://mixed6.test/',
    'https://metadata.test/latest/meta-data/',
    'https://localhost.test/',
    'https://10.1.2.3/',
    'https://169.254.169.254/',
    'https://2130706433/',
    'https://0x7f.1/',
    'https://0177.0.0.1/',
    'https://127.1/',
    'https://0/',
    'https://[::1]/',
    'https://[::ffff:10.0.0.1]/',
    'https://[::ffff:7f00:1]/',
    'https://[fe80::1]/',
    'https://[fd00::1]/',
  ])('refuses %s', async (url) => {
    const guard = guardWith({ lookup: dns.lookup });

    const err = await failureOf(guard.check(url, 'callbackUrl'));

    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toBe(
      'callbackUrl must not point to a private, loopback or link-local address',
    );
    expect(err.details).toEqual([
      {
        path: 'callbackUrl',
        message: 'must not point to a private, loopback or link-local address',
      },
    ]);
  });

  it('does not resolve IP literals', async () => {
    const { lookup, calls } = fakeDns({});
    const guard = guardWith({ lookup });

    await guard.check(`https://${PUBLIC_V4}/`);
    await guard.check(`https://[${PUBLIC_V6}]/`);

    expect(calls).toEqual([]);
  });

  it.each([
    ['http://public.test/', 'must be an https URL'],
    ['ftp://public.test/', 'must be an https URL'],
    ['file:///etc/passwd', 'must be an https URL'],
    ['https://user:pass@public.test/', 'must not contain credentials'],
    ['https://user@public.test/', 'must not contain credentials'],
    ['not a url', 'must be a valid URL'],
    ['https://public.test:8443/', 'must not name a port other than 443'],
    ['https://public.test:80/', 'must not name a port other than 443'],
    ['https://public.test:22/', 'must not name a port other than 443'],
  ])('refuses %s: %s', async (url, message) => {
    const guard = guardWith({ lookup: dns.lookup });

    const err = await failureOf(guard.check(url));

    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toBe(`url ${message}`);
  });

  it('refuses a port before asking DNS', async () => {
    const { lookup, calls } = fakeDns({ 'public.test': [PUBLIC_V4] });
    const guard = guardWith({ lookup });

    const err = await failureOf(guard.check('https://public.test:6379/'));

    expect(err.code).toBe('VALIDATION_FAILED');
    expect(calls).toEqual([]);
  });

  it('allows 443 written out, and any port with allowAnyPort or allowLoopback', async () => {
    const { lookup } = fakeDns({ 'public.test': [PUBLIC_V4] });

    await expect(guardWith({ lookup }).check('https://public.test:443/')).resolves.toBeDefined();
    await expect(
      guardWith({ lookup, allowAnyPort: true }).check('https://public.test:8443/'),
    ).resolves.toBeDefined();
    await expect(
      guardWith({ lookup, allowLoopback: true }).check('https://public.test:8443/'),
    ).resolves.toBeDefined();
  });

  it('allows only the scheme ports for connections', () => {
    const strict = guardWith();
    const local = guardWith({ allowLoopback: true, allowHttp: true });

    expect(strict.allowsPort('https:', 443)).toBe(true);
    expect(strict.allowsPort('https:', 8443)).toBe(false);
    expect(strict.allowsPort('http:', 80)).toBe(false);
    expect(local.allowsPort('http:', 80)).toBe(true);
    expect(local.allowsPort('https:', 8443)).toBe(true);
  });

  it('allows http only with allowHttp', async () => {
    const guard = guardWith({ lookup: dns.lookup, allowHttp: true });

    const target = await guard.check('http://public.test/');

    expect(target.url.protocol).toBe('http:');
  });

  it('allows loopback only with allowLoopback', async () => {
    const guard = guardWith({ lookup: dns.lookup, allowLoopback: true });

    await expect(guard.check('https://localhost.test/')).resolves.toBeDefined();
    await expect(guard.check('https://[::1]/')).resolves.toBeDefined();
    expect((await failureOf(guard.check('https://internal.test/'))).code).toBe('VALIDATION_FAILED');
  });

  it('reports a host that does not resolve as UNAVAILABLE, since DNS failures may pass', async () => {
    const guard = guardWith({ lookup: dns.lookup });

    const err = await failureOf(guard.check('https://nowhere.test/'));

    expect(err.code).toBe('UNAVAILABLE');
  });

  it('keeps the URL out of the error when it does not parse', async () => {
    const guard = guardWith({ lookup: dns.lookup });

    const err = await failureOf(guard.check('https://exa mple.test/?token=secret'));

    expect(err.cause).toBeUndefined();
    expect(JSON.stringify(err)).not.toContain('secret');
  });
});
