import type { AddressInfo } from 'node:net';
import { ProviderError } from '@herald/core';
import { anEmailRequest } from '@herald/core/testing';
import { SMTPServer } from 'smtp-server';
import { createSmtpEmailProvider } from './smtp-email';
import { createSmtpTransport, type SmtpTransportOptions } from './smtp-transport';
import { never } from './testing-failures';

/**
 * Credentials over `smtp://` go out only inside TLS (STARTTLS required), except in local mode: a
 * server that does not offer STARTTLS never sees the password, and nothing is sent.
 */

interface PlainServer {
  url: (credentials: string) => string;
  logins: string[];
  delivered: number;
  close(): Promise<void>;
}

/** An SMTP server without STARTTLS that takes any login in clear text (what an attacker runs). */
async function startPlainServer(): Promise<PlainServer> {
  const state = { logins: [] as string[], delivered: 0 };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      state.logins.push(`${auth.username ?? ''}:${auth.password ?? ''}`);
      callback(null, { user: auth.username });
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        state.delivered += 1;
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: (credentials) => `smtp://${credentials}127.0.0.1:${port}`,
    get logins() {
      return state.logins;
    },
    get delivered() {
      return state.delivered;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function sendThrough(url: string, opts: SmtpTransportOptions): Promise<unknown> {
  const transport = createSmtpTransport(url, { pool: false, ...opts });
  const provider = createSmtpEmailProvider({
    transport,
    from: 'Herald <noreply@herald.test>',
    messageIdDomain: 'herald.test',
  });
  try {
    return await provider.send({ notificationId: 'ntf_tls', request: anEmailRequest() }, never());
  } catch (err) {
    return err;
  } finally {
    transport.close();
  }
}

describe('SMTP credentials over smtp:// against a server without STARTTLS', () => {
  let server: PlainServer;

  beforeEach(async () => {
    server = await startPlainServer();
  });

  afterEach(async () => {
    await server.close();
  });

  it('refuses to send, and never sends the password, outside local mode', async () => {
    const result = await sendThrough(server.url('user:s3cret@'), {});

    expect(result).toBeInstanceOf(ProviderError);
    expect(result).toMatchObject({ retryable: true, reasonCode: 'provider_unavailable' });
    expect(server.logins).toEqual([]);
    expect(server.delivered).toBe(0);
  });

  it('still sends with credentials in clear text in local mode', async () => {
    const result = await sendThrough(server.url('user:s3cret@'), { allowPlainAuth: true });

    expect(result).toMatchObject({ providerMessageId: expect.any(String) as unknown });
    expect(server.logins).toEqual(['user:s3cret']);
    expect(server.delivered).toBe(1);
  });

  it('still sends without credentials (an unauthenticated relay) outside local mode', async () => {
    const result = await sendThrough(server.url(''), {});

    expect(result).not.toBeInstanceOf(Error);
    expect(server.delivered).toBe(1);
  });
});
