import { AppError } from '@herald/core';
import { createSmtpTransport } from './smtp-transport';

function configError(url: string): AppError {
  try {
    createSmtpTransport(url).close();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error(`expected ${url} to be refused`);
}

describe('createSmtpTransport', () => {
  it.each([
    ['not a URL', 'localhost:25'],
    ['another scheme', 'http://mail.example.com'],
    ['a query string', 'smtp://mail.example.com:25?pool=true'],
    ['bad percent-encoding', 'smtp://us%ZZer:pw@mail.example.com'],
  ])('refuses %s with CONFIG_INVALID', (_, url) => {
    const err = configError(url);

    expect(err.code).toBe('CONFIG_INVALID');
  });

  it('keeps the password out of the error message', () => {
    const err = configError('ftp://user:s3cret@mail.example.com');

    expect(err.message).not.toContain('s3cret');
  });

  it('pools connections by default', () => {
    const transport = createSmtpTransport('smtp://user:p%40ss@mail.example.com');

    expect(transport.transporter.name).toBe('SMTP (pool)');
    expect(transport.options).toMatchObject({
      host: 'mail.example.com',
      port: 587,
      secure: false,
      pool: true,
      maxConnections: 5,
      auth: { user: 'user', pass: 'p@ss' },
      requireTLS: true,
    });
    transport.close();
  });

  it('requires STARTTLS only for smtp:// with credentials, unless plain auth is allowed', () => {
    const build = (url: string, allowPlainAuth?: boolean) => {
      const transport = createSmtpTransport(url, allowPlainAuth ? { allowPlainAuth } : {});
      transport.close();
      return transport.options as { requireTLS?: boolean };
    };

    expect(build('smtp://user:pw@mail.example.com').requireTLS).toBe(true);
    expect(build('smtp://user:pw@127.0.0.1:2525', true).requireTLS).toBeUndefined();
    expect(build('smtp://mail.example.com').requireTLS).toBeUndefined();
    expect(build('smtps://user:pw@mail.example.com').requireTLS).toBeUndefined();
  });

  it('uses implicit TLS on port 465 for smtps without a pool when asked', () => {
    const transport = createSmtpTransport('smtps://mail.example.com', {
      pool: false,
      connectionTimeoutMs: 1_000,
      socketTimeoutMs: 2_000,
      tlsRejectUnauthorized: false,
    });

    expect(transport.transporter.name).toBe('SMTP');
    expect(transport.options).toMatchObject({
      port: 465,
      secure: true,
      connectionTimeout: 1_000,
      socketTimeout: 2_000,
      tls: { rejectUnauthorized: false },
    });
    transport.close();
  });
});
