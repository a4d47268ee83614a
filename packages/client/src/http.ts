import { errorFromResponse, HeraldApiError } from './errors';

/** A bearer token, or a function that returns the current one (called before every request). */
export type TokenSource = string | (() => string | Promise<string>);

/** What {@link createHttp} needs; `createHeraldClient` validates it first. */
export interface HttpConfig {
  baseUrl: string;
  token: TokenSource;
  fetch: typeof fetch;
  timeoutMs: number;
  userAgent?: string;
}

/** One API call, as the client methods describe it. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Starts with `/`; already encoded. */
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Added to the client's `timeoutMs`, for requests the server is asked to hold (long-polls). */
  extraTimeoutMs?: number;
}

/** A 2xx answer. */
export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body; `undefined` when the body is empty. */
  body: unknown;
}

/** Rejects with `HeraldApiError` for a non-2xx answer; see {@link createHttp}. */
export type HttpRequester = (req: HttpRequest) => Promise<HttpResponse>;

/**
 * One request helper per client: adds auth and JSON headers, applies the per-request timeout
 * (combined with the caller's signal), and turns every non-2xx answer into a `HeraldApiError`.
 * Network errors, `TimeoutError` and the caller's abort reason propagate unchanged.
 */
export function createHttp(config: HttpConfig): HttpRequester {
  const base = config.baseUrl.replace(/\/+$/, '');

  return async function request(req) {
    const timeout = AbortSignal.timeout(config.timeoutMs + (req.extraTimeoutMs ?? 0));
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const headers = new Headers(req.headers);
    headers.set('Accept', 'application/json');
    headers.set('Authorization', `Bearer ${await resolveToken(config.token)}`);
    if (config.userAgent !== undefined) headers.set('User-Agent', config.userAgent);
    if (req.json !== undefined) headers.set('Content-Type', 'application/json');

    const res = await config.fetch(base + req.path + queryString(req.query), {
      method: req.method,
      headers,
      body: req.json === undefined ? undefined : JSON.stringify(req.json),
      signal,
    });
    const text = await res.text();
    if (!res.ok) throw errorFromResponse(res.status, res.statusText, res.headers, text);
    return { status: res.status, headers: res.headers, body: parseJson(res, text) };
  };
}

async function resolveToken(token: TokenSource): Promise<string> {
  return typeof token === 'function' ? await token() : token;
}

function queryString(query: HttpRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function parseJson(res: Response, text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new HeraldApiError(
      {
        status: res.status,
        code: 'INVALID_RESPONSE',
        message: `HTTP ${res.status} with a body that is not JSON`,
        requestId: res.headers.get('x-request-id') ?? undefined,
      },
      { cause },
    );
  }
}
