import { connect } from 'node:http2';
import type { ClientHttp2Session, IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';

/** APNs' answer to one request: its status, headers and (bounded) JSON error body. */
export interface ApnsAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP/2 connection per APNs host, shared by every send to it. */
export interface ApnsConnections {
  /**
   * POSTs `body` to `path` on `origin` over that origin's session, opening one if there is none
   * or the last one is closing. Resolves with any answer APNs gives; rejects on a connection or
   * stream failure, or with an `AbortError` when `signal` aborts (the stream is reset).
   */
  post(
    origin: string,
    path: string,
    headers: OutgoingHttpHeaders,
    body: string,
    signal: AbortSignal,
  ): Promise<ApnsAnswer>;
  /** Closes every session; in-flight streams fail. */
  close(): void;
}

export interface ApnsConnectionOptions {
  /** Extra trusted CA (PEM): a test or private APNs stand-in only. */
  ca?: string;
  /** APNs error bodies are small JSON objects; read no more than this. Default 4096. */
  maxBodyBytes?: number;
  /**
   * A session not connected (TCP + TLS + HTTP/2 settings) after this long is destroyed, so a
   * black-holed host does not hold every later send on a session that never opens. Default 10000.
   */
  connectTimeoutMs?: number;
}

/**
 * Apple asks providers to keep connections open and reuse them rather than connect per push.
 * A session that got GOAWAY (APNs sends it when it rotates servers), closed or failed is dropped
 * from the pool, and the next send opens a fresh one; streams already on it finish or fail there.
 */
export function createApnsConnections(opts: ApnsConnectionOptions = {}): ApnsConnections {
  const sessions = new Map<string, ClientHttp2Session>();
  const maxBodyBytes = opts.maxBodyBytes ?? 4096;

  function sessionFor(origin: string): ClientHttp2Session {
    const existing = sessions.get(origin);
    if (existing !== undefined && !existing.closed && !existing.destroyed) return existing;
    const session = connect(origin, opts.ca === undefined ? {} : { ca: opts.ca });
    const connecting = setTimeout(
      () => session.destroy(new Error('APNs connection timed out')),
      opts.connectTimeoutMs ?? 10_000,
    );
    connecting.unref();
    session.once('connect', () => clearTimeout(connecting));
    const forget = () => {
      clearTimeout(connecting);
      if (sessions.get(origin) === session) sessions.delete(origin);
    };
    session.on('goaway', forget);
    session.on('close', forget);
    // Without a listener a session error would crash the process; its streams report it.
    session.on('error', forget);
    sessions.set(origin, session);
    return session;
  }

  return {
    post(origin, path, headers, body, signal) {
      return new Promise<ApnsAnswer>((resolve, reject) => {
        let stream;
        const session = sessionFor(origin);
        try {
          stream = session.request({ ':method': 'POST', ':path': path, ...headers }, { signal });
        } catch (err) {
          // E.g. stream ids used up (ERR_HTTP2_OUT_OF_STREAMS): this session is done for.
          if (!signal.aborted) {
            session.close();
            sessions.delete(origin);
          }
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        let status = 0;
        let responseHeaders: IncomingHttpHeaders = {};
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('response', (h) => {
          responseHeaders = h;
          status = Number(h[':status']);
        });
        stream.on('data', (chunk: Buffer) => {
          if (size < maxBodyBytes) chunks.push(chunk);
          size += chunk.length;
        });
        stream.on('end', () => {
          const text = Buffer.concat(chunks).subarray(0, maxBodyBytes).toString('utf8');
          resolve({ status, headers: responseHeaders, body: text });
        });
        stream.on('error', reject);
        // A stream reset without an error (refused, cancelled by the server); no-op after `end`.
        stream.on('close', () => reject(new Error('APNs stream closed without an answer')));
        stream.end(body);
      });
    },
    close() {
      for (const session of sessions.values()) session.destroy();
      sessions.clear();
    },
  };
}
