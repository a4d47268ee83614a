export { createApp } from './app';
export type { AppDeps } from './app';
export type { ClientIdentity, TokenVerifier } from './middleware/require-client-token';
export type { Readiness } from './routes/health';
export { HTTP_STATUS } from './http-errors';
export type { ErrorBody } from './http-errors';
export type { TwilioReceiptDeps } from './routes/twilio-status';
