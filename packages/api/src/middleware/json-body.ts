import { AppError } from '@herald/core';
import express, { type RequestHandler } from 'express';

export const MAX_BODY_BYTES = 256 * 1024;

/**
 * Accepts only `application/json` (UTF-8) bodies of at most 256 KiB. The content type is checked
 * before reading, so a wrong type is a `415` even when the body is huge.
 */
export function jsonBody(): RequestHandler[] {
  const parse = express.json({ limit: MAX_BODY_BYTES, strict: true, type: () => true });
  return [
    (req, _res, next) => {
      if (!req.is('application/json')) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
      }
      next();
    },
    parse,
  ];
}

interface BodyParserError {
  type: string;
  status?: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return (
    typeof err === 'object' && err !== null && typeof (err as { type?: unknown }).type === 'string'
  );
}

/** Turns body-parser's errors into AppErrors with the shared codes; anything else passes through. */
export function translateBodyError(err: unknown): unknown {
  if (!isBodyParserError(err)) return err;
  switch (err.type) {
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', `Body must be at most ${MAX_BODY_BYTES} bytes`);
    case 'entity.parse.failed':
      return new AppError('VALIDATION_FAILED', 'Body is not valid JSON (an object is expected)');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Body must be UTF-8 encoded JSON');
    default:
      return err.status !== undefined && err.status >= 400 && err.status < 500
        ? new AppError('VALIDATION_FAILED', 'Body could not be read')
        : err;
  }
}
