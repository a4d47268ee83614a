import { AppError } from '@herald/core';
import type { IncomingHttpHeaders } from 'node:http';
import express, { type RequestHandler } from 'express';

export const MAX_BODY_BYTES = 256 * 1024;
/** Objects and arrays nested deeper than this are refused: hashing and cloning them recurse. */
export const MAX_JSON_DEPTH = 64;

/**
 * Accepts only `application/json` (UTF-8) bodies of at most 256 KiB. The content type is checked
 * before reading, so a wrong type is a `415` even when the body is huge.
 */
export function jsonBody(): RequestHandler[] {
  const parse = express.json({ limit: MAX_BODY_BYTES, strict: true, type: () => true });
  return [
    (req, _res, next) => {
      if (!hasBody(req.headers)) throw new AppError('VALIDATION_FAILED', 'A JSON body is required');
      if (!req.is('application/json')) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
      }
      next();
    },
    parse,
    (req, _res, next) => {
      if (nestsDeeperThan(req.body, MAX_JSON_DEPTH)) {
        throw new AppError(
          'VALIDATION_FAILED',
          `Body must not nest objects and arrays deeper than ${MAX_JSON_DEPTH} levels`,
        );
      }
      next();
    },
  ];
}

/** Iterative, so a body nested thousands of levels deep cannot overflow the stack here. */
function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

/** Same rule as Node's parser: a body is announced by Transfer-Encoding or a non-zero length. */
/** True when the request announces a body (a length above zero, or chunked). */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = Number(headers['content-length']);
  return Number.isFinite(length) && length > 0;
}

interface ClientError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  code?: unknown;
}

/** The HTTP status a body-parser, router or zlib error asks for, if it is a client error. */
function clientStatusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as ClientError;
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return status;
  // A corrupt gzip/deflate body surfaces as a raw zlib error.
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) return 400;
  return undefined;
}

/**
 * Turns the client errors that express, body-parser and zlib raise (bad JSON, too large, bad
 * charset, malformed URL escapes, corrupt compressed bodies) into AppErrors with the shared
 * codes. Anything else passes through unchanged.
 */
export function translateBodyError(err: unknown): unknown {
  const status = clientStatusOf(err);
  if (status === undefined) return err;
  switch ((err as ClientError).type) {
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', `Body must be at most ${MAX_BODY_BYTES} bytes`);
    case 'entity.parse.failed':
      return new AppError('VALIDATION_FAILED', 'Body is not valid JSON (an object is expected)');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Body must be UTF-8 encoded JSON');
    default:
      if (status === 413)
        return new AppError('PAYLOAD_TOO_LARGE', `Body must be at most ${MAX_BODY_BYTES} bytes`);
      if (status === 415)
        return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
      return new AppError(
        'VALIDATION_FAILED',
        'The request could not be read (malformed URL, encoding or body)',
      );
  }
}
