import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';

export interface TwilioSignedRequest {
  authToken: string;
  /** The full URL Twilio requested, as Twilio saw it (scheme, host, port, path and query). */
  url: string;
  /** The form-encoded POST parameters. */
  params: Record<string, string>;
  /** The `X-Twilio-Signature` header. */
  signature: string;
}

/**
 * Whether `X-Twilio-Signature` proves Twilio sent this request (a status callback to
 * `POST /v1/providers/twilio/status`): base64 HMAC-SHA1, keyed with the auth token, of the URL
 * followed by every parameter's name and value in name order, compared in constant time. Accepts
 * what the twilio SDK's `validateRequest` accepts (a test holds the two together): the URL as
 * received or as `new URL` normalizes it, each with and without the scheme's default port, and
 * the normalized query re-encoded as Node's legacy `querystring` does, since Twilio signs the URL
 * as it was configured and proxies may add or drop the port.
 * Never throws: a missing signature or a malformed URL is simply `false`.
 */
export function verifyTwilioSignature(req: TwilioSignedRequest): boolean {
  if (req.authToken === '' || req.signature === '') return false;
  const given = Buffer.from(req.signature);
  const matches = (url: string) =>
    sameBytes(given, expectedSignature(req.authToken, url, req.params));
  if ([withoutPort(req.url), withPort(req.url)].some(matches)) return true;
  let normalized: string;
  try {
    normalized = new URL(req.url).toString();
  } catch {
    return false;
  }
  const bare = withoutPort(normalized);
  const ported = withPort(normalized);
  return [bare, ported, withLegacyQuery(bare), withLegacyQuery(ported)].some(matches);
}

function expectedSignature(authToken: string, url: string, params: Record<string, string>) {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, name) => `${acc}${name}${params[name] ?? ''}`, url);
  return Buffer.from(createHmac('sha1', authToken).update(data, 'utf8').digest('base64'));
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

interface UrlParts {
  /** `https://`, as written. */
  scheme: string;
  /** `user:pass@` or ''. */
  userInfo: string;
  host: string;
  /** `:8443` or ''. */
  port: string;
  /** Path, query and fragment, exactly as written. */
  rest: string;
}

/** Splits without normalizing, so the path and query keep the exact characters Twilio signed. */
function splitUrl(url: string): UrlParts | undefined {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (match === null) return undefined;
  const [prefix, scheme = '', authority = ''] = match;
  const userInfoEnd = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(userInfoEnd + 1);
  // A colon starts the port only after an IPv6 literal's closing bracket.
  const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo: authority.slice(0, userInfoEnd + 1),
    host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
    port: portStart === -1 ? '' : hostAndPort.slice(portStart),
    rest: url.slice(prefix.length),
  };
}

function withPort(url: string): string {
  const p = splitUrl(url);
  if (p === undefined || p.port !== '') return url;
  const port = p.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return `${p.scheme}${p.userInfo}${p.host}${port}${p.rest}`;
}

function withoutPort(url: string): string {
  const p = splitUrl(url);
  return p === undefined ? url : `${p.scheme}${p.userInfo}${p.host}${p.rest}`;
}

/** For back ends that signed an escaped form of a query value (`%27` for `'`). */
function withLegacyQuery(url: string): string {
  const start = url.indexOf('?');
  if (start === -1 || start === url.length - 1) return url;
  return `${url.slice(0, start)}?${stringifyQuery(parseQuery(url.slice(start + 1)))}`;
}
