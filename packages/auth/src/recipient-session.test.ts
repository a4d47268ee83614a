import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { issueToken } from './issue-token';
import {
  createRecipientSessions,
  RECIPIENT_SESSION_AUDIENCE,
  recipientSessionKey,
} from './recipient-session';
import { generateSigningKey } from './signing-keys';

const NOW = new Date('2026-12-08T12:00:00.000Z');
const clock = { now: () => NOW };
const secret = randomBytes(32);
const sessions = createRecipientSessions({ secret, issuer: 'herald', clock });

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('recipient sessions', () => {
  it('issues a session for one recipient of one client, valid for an hour by default', async () => {
    const { token, expiresAt } = await sessions.issue({
      clientId: 'shop',
      recipientId: 'alice@example.com',
    });

    expect(expiresAt).toBe(NOW.getTime() / 1000 + 3_600);
    expect(await sessions.verify(token)).toStrictEqual({
      clientId: 'shop',
      recipientId: 'alice@example.com',
      expiresAt,
    });
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as {
      alg: string;
      typ: string;
    };
    expect(header).toStrictEqual({ alg: 'HS256', typ: 'herald-recipient+jwt' });
  });

  it('refuses an expired session', async () => {
    const { token } = await sessions.issue({
      clientId: 'shop',
      recipientId: 'alice',
      ttlSeconds: 60,
    });
    const later = createRecipientSessions({
      secret,
      issuer: 'herald',
      clock: { now: () => new Date(NOW.getTime() + 61_000) },
    });

    expect(await failure(later.verify(token))).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'token expired',
    });
  });

  it('refuses a session signed with another secret, or tampered with', async () => {
    const { token } = await sessions.issue({ clientId: 'shop', recipientId: 'alice' });
    const other = createRecipientSessions({ secret: randomBytes(32), issuer: 'herald', clock });
    const [head, , signature] = token.split('.');
    const forgedBody = Buffer.from(
      JSON.stringify({
        sub: 'bob',
        cid: 'shop',
        aud: RECIPIENT_SESSION_AUDIENCE,
        iss: 'herald',
        exp: 9e9,
      }),
    ).toString('base64url');

    expect(await failure(other.verify(token))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await failure(sessions.verify(`${head}.${forgedBody}.${signature}`))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('never takes a client token, nor an HS256 token of another type or audience', async () => {
    const key = await generateSigningKey();
    const client = await issueToken({
      privateJwk: key.privateJwk,
      clientId: 'shop',
      scopes: ['notifications:send'],
      ttlSeconds: 600,
      issuer: 'herald',
      audience: 'herald-api',
      now: NOW,
    });
    // Signed with the right key: only the type or the audience is wrong.
    const signed = (typ: string, audience: string) =>
      new SignJWT({ cid: 'shop' })
        .setProtectedHeader({ alg: 'HS256', typ })
        .setIssuer('herald')
        .setAudience(audience)
        .setSubject('alice')
        .setExpirationTime(NOW.getTime() / 1000 + 600)
        .sign(recipientSessionKey(secret));

    expect(await failure(sessions.verify(client.token))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(
      await failure(sessions.verify(await signed('JWT', RECIPIENT_SESSION_AUDIENCE))),
    ).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(
      await failure(sessions.verify(await signed('herald-recipient+jwt', 'herald-api'))),
    ).toMatchObject({ code: 'UNAUTHENTICATED', message: 'token is not meant for this service' });
    expect(
      await sessions.verify(await signed('herald-recipient+jwt', RECIPIENT_SESSION_AUDIENCE)),
    ).toMatchObject({
      recipientId: 'alice',
    });
    expect(await failure(sessions.verify('not.a.token'))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses bad ids, a ttl outside a minute to a day, and a short secret', async () => {
    const issue = (p: { clientId?: string; recipientId?: string; ttlSeconds?: number }) =>
      failure(sessions.issue({ clientId: 'shop', recipientId: 'alice', ...p }));

    expect(await issue({ recipientId: 'no spaces' })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await issue({ clientId: 'a/b' })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await issue({ ttlSeconds: 59 })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await issue({ ttlSeconds: 86_401 })).toMatchObject({ code: 'VALIDATION_FAILED' });
    let thrown: unknown;
    try {
      createRecipientSessions({ secret: randomBytes(31), issuer: 'herald' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
