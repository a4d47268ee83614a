/**
 * `@herald/client`: the TypeScript SDK for the Herald API. It needs nothing at run time but
 * `fetch` and `AbortSignal.any` / `AbortSignal.timeout` (Node ≥ 20.3, current browsers); the
 * types below come from `@herald/core` as types only.
 */
export { createHeraldClient, etagOf } from './client';
export type {
  GetNotificationStatusOptions,
  HeraldClient,
  HeraldClientOptions,
  ListNotificationsQuery,
  NotificationPage,
  NotificationSummary,
  SendNotificationOptions,
} from './client';
export { HeraldApiError, isHeraldApiError } from './errors';
export type { HeraldApiErrorInit, HeraldErrorCode } from './errors';
export type { TokenSource } from './http';
export type { WaitForStatusOptions } from './wait-for-status';
/** Shared with the server, so a request that type-checks here passes its schema's shape. */
export type {
  AcceptedView,
  Channel,
  NotificationEvent,
  NotificationRequest,
  NotificationStatus,
  NotificationView,
  RefusalCode,
  RefusalReason,
} from '@herald/core';
