/**
 * A provider SDK loaded on first use instead of at import. twilio, nodemailer and web-push add
 * about 45 MB of RSS and a quarter of a second of start-up to any process that imports this
 * package, yet a worker uses only the SDKs of the channels it is configured for, and the cli
 * imports this package only to make VAPID keys.
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose, see above
  return () => (loaded ??= require(id) as T);
}
