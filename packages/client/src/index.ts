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
export type {
  AudienceClient,
  CallOptions,
  DeviceView,
  RecipientView,
  Versioned,
  WriteOptions,
  Written,
} from './audience-client';
export type { TopicClient } from './topic-client';
export type {
  ChildSummary,
  FanOutSummary,
  ListChildrenQuery,
  Page,
  PageQuery,
  SendToTopicOptions,
  SubscriptionView,
  TopicNotificationSummary,
  TopicNotificationView,
  TopicView,
} from './topic-types';
export type { SuppressionClient, SuppressionPage } from './suppression-client';
export { HeraldApiError, isHeraldApiError } from './errors';
export type { HeraldApiErrorInit, HeraldErrorCode } from './errors';
export type { TokenSource } from './http';
export type { WaitForStatusOptions } from './wait-for-status';
/** Shared with the server, so a request that type-checks here passes its schema's shape. */
export type {
  AcceptedView,
  Channel,
  DeviceTarget,
  NotificationEvent,
  NotificationRequest,
  NotificationStatus,
  NotificationView,
  QuietHours,
  RecipientNotificationRequest,
  RecipientPreferences,
  RecipientProfile,
  RefusalCode,
  RefusalReason,
  SubscriptionChannels,
  TopicAcceptedView,
  TopicCreate,
  TopicNotificationRequest,
  TopicPatch,
  SuppressionEntry,
  SuppressionReason,
} from '@herald/core';
