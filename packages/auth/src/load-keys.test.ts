import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadJwks, loadPrivateJwk } from './load-keys';
import { generateSigningKey } from './signing-keys';
import type { SigningKey } from './signing-keys';

let key: SigningKey;
let dir: string;

beforeAll(async () => {
  key = await generateSigningKey();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-load-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const configInvalid = { code: 'CONFIG_INVALID' };

describe('loadPrivateJwk', () => {
  it('prefers inline JSON over the file', async () => {
    const jwk = await loadPrivateJwk({
      json: JSON.stringify(key.privateJwk),
      path: join(dir, 'missing.json'),
    });

    expect(jwk).toEqual(key.privateJwk);
  });

  it('reads the file when there is no inline JSON', async () => {
    const path = join(dir, 'signing-key.json');
    await writeFile(path, JSON.stringify(key.privateJwk));

    await expect(loadPrivateJwk({ path })).resolves.toEqual(key.privateJwk);
  });

  it('names a missing file', async () => {
    const path = join(dir, 'missing.json');

    const err = await loadPrivateJwk({ path }).catch((e: unknown) => e);

    expect(err).toMatchObject(configInvalid);
    expect((err as Error).message).toContain(path);
  });

  it('does not echo malformed JSON, which may be key material', async () => {
    const err = await loadPrivateJwk({ json: '{"d":"SECRET"' }).catch((e: unknown) => e);

    expect(err).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(String((err as Error).message)).not.toContain('SECRET');
  });

  it('rejects a public key', async () => {
    await expect(loadPrivateJwk({ json: JSON.stringify(key.publicJwk) })).rejects.toMatchObject(
      configInvalid,
    );
  });
});

describe('loadJwks', () => {
  it('reads inline JSON and files alike', async () => {
    const json = JSON.stringify({ keys: [key.publicJwk] });
    const path = join(dir, 'jwks.json');
    await writeFile(path, json);

    expect(await loadJwks(json)).toEqual({ keys: [key.publicJwk] });
    expect(await loadJwks(path)).toEqual({ keys: [key.publicJwk] });
  });

  it('rejects a key with a private part', async () => {
    await expect(loadJwks(JSON.stringify({ keys: [key.privateJwk] }))).rejects.toMatchObject(
      configInvalid,
    );
  });

  it('rejects a symmetric key', async () => {
    const oct = { kty: 'oct', k: 'c2VjcmV0', kid: 'hs', alg: 'HS256' };

    await expect(loadJwks(JSON.stringify({ keys: [oct] }))).rejects.toMatchObject(configInvalid);
  });

  it('rejects an RSA key and a key for another curve', async () => {
    const rsa = { kty: 'RSA', n: 'AQAB', e: 'AQAB', kid: 'r' };
    const p384 = { ...key.publicJwk, crv: 'P-384' };

    await expect(loadJwks(JSON.stringify({ keys: [rsa] }))).rejects.toMatchObject(configInvalid);
    await expect(loadJwks(JSON.stringify({ keys: [p384] }))).rejects.toMatchObject(configInvalid);
  });

  it('rejects a key without kid and a repeated kid', async () => {
    const noKid: Record<string, unknown> = { ...key.publicJwk };
    delete noKid.kid;

    await expect(loadJwks(JSON.stringify({ keys: [noKid] }))).rejects.toMatchObject(configInvalid);
    await expect(
      loadJwks(JSON.stringify({ keys: [key.publicJwk, key.publicJwk] })),
    ).rejects.toMatchObject(configInvalid);
  });

  it('rejects a document without a keys array', async () => {
    await expect(loadJwks('{"kid":"x"}')).rejects.toMatchObject(configInvalid);
  });
});
