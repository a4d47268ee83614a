import { createECDH, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Secrets the local stack makes once and keeps under `<data dir>/keys`. */
export interface LocalSecrets {
  /** VAPID key pair for web push (base64url, as web-push and browsers expect them). */
  vapid: { publicKey: string; privateKey: string };
  /** Master secret the per-client callback signing secrets derive from. */
  callbackSecret: string;
  /** HERALD_LINK_SECRET: the worker signs unsubscribe links with it, the api checks them. */
  linkSecret: string;
}

/**
 * Loads the local secrets, creating any that are missing (files are written 0600 and atomically,
 * so a crash never leaves half a key). Restarts keep them: browsers subscribed with the VAPID
 * public key keep working, and callback receivers keep verifying signatures.
 */
export async function ensureLocalSecrets(keysDir: string): Promise<LocalSecrets> {
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const vapidFile = path.join(keysDir, 'vapid.json');
  const secretFile = path.join(keysDir, 'callback-secret');
  const linkFile = path.join(keysDir, 'link-secret');
  const vapid =
    (await readJson<LocalSecrets['vapid']>(vapidFile)) ??
    (await writeAtomically(vapidFile, newVapidKeys()));
  const callbackSecret =
    (await readFile(secretFile, 'utf8').catch(() => undefined))?.trim() ??
    (await writeAtomically(secretFile, randomBytes(32).toString('base64url')));
  const linkSecret =
    (await readFile(linkFile, 'utf8').catch(() => undefined))?.trim() ??
    (await writeAtomically(linkFile, randomBytes(32).toString('base64url')));
  return { vapid, callbackSecret, linkSecret };
}

/** A P-256 key pair, the same form web-push's generateVAPIDKeys returns. */
function newVapidKeys(): LocalSecrets['vapid'] {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    publicKey: ecdh.getPublicKey().toString('base64url'),
    privateKey: ecdh.getPrivateKey().toString('base64url'),
  };
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function writeAtomically<T>(file: string, value: T): Promise<T> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, typeof value === 'string' ? value : JSON.stringify(value, null, 2), {
    mode: 0o600,
  });
  await rename(tmp, file);
  return value;
}
