export { AppError, ProviderError, isAppError } from './errors';
export type { ErrorCode, ErrorDetail } from './errors';
export {
  childNotificationId,
  idempotentNotificationId,
  idempotentTopicSendId,
  isNotificationId,
  isTopicSendId,
  newNotificationId,
  newTopicSendId,
} from './ids';
export { toView } from './notification';
export {
  FINAL_REFUSAL_CODES,
  REFUSAL_CODES,
  TRANSIENT_REFUSAL_CODES,
  isRefusalCode,
  storedRefusalCode,
} from './refusal-code';
export type { RefusalCode } from './refusal-code';
export type {
  AcceptedView,
  FinalOutcome,
  NotificationEvent,
  NotificationEventType,
  AudienceLink,
  NotificationRecord,
  NotificationStatus,
  NotificationView,
  ParkedReceipt,
  RefusalReason,
} from './notification';
export { systemClock, silentLogger } from './ports';
export type {
  AttemptOutcome,
  AwaitingReceipt,
  DeadTargetStore,
  StatusEvent,
  StatusEventPublisher,
  StatusEventRelay,
  ClaimResult,
  Clock,
  CreateResult,
  ListPage,
  ListQuery,
  Logger,
  EnqueueOptions,
  NotificationQueue,
  NotificationStore,
  OutboundMessage,
  Provider,
  QueueMessage,
  RevocationStore,
  SendResult,
  WorkQueue,
} from './ports';
export type { ClientLimitOverrides, ClientSettings, ClientSettingsReader } from './client-settings';
export { createClientSettingsCache, MAX_CLIENT_SETTINGS_TTL_MS } from './client-settings-cache';
export type { ClientSettingsCacheOptions } from './client-settings-cache';
export { canonicalJson, requestHash } from './request-hash';
export { DEFAULT_RETRY_POLICY, backoffDelayMs } from './retry-policy';
export type { RetryPolicy } from './retry-policy';
export { CHANNELS, notificationRequestSchema } from './schemas/notification-request';
export type {
  Channel,
  NotificationRequest,
  RecipientNotificationRequest,
} from './schemas/notification-request';
export type { EmailNotificationRequest } from './schemas/email';
export type { SmsNotificationRequest, WhatsappNotificationRequest } from './schemas/sms';
export type { PushNotificationRequest } from './schemas/push';
export { APNS_ENVIRONMENTS, apnsTargetSchema } from './schemas/apns-target';
export type { ApnsEnvironment, ApnsTarget } from './schemas/apns-target';
export type { SlackNotificationRequest } from './schemas/slack';
export { topicNotificationRequestSchema, topicOverridesSchema } from './schemas/topic-notification';
export type { TopicNotificationRequest } from './schemas/topic-notification';
export { NO_FAN_OUT, toTopicSendView } from './topic-send';
export type {
  AcceptTopicInput,
  AcceptTopicNotification,
  AcceptTopicResult,
  ChildCounts,
  ChildView,
  FanOutProgress,
  FanOutSkipped,
  TopicAcceptedView,
  TopicSendRecord,
  TopicSendView,
} from './topic-send';
export type {
  ChildStore,
  FanOutAudience,
  FanOutRecipient,
  TopicSendCancel,
  TopicSendClaim,
  TopicSendStore,
} from './fan-out/fan-out-ports';
export { planPage } from './fan-out/plan-page';
export type { PagePlan } from './fan-out/plan-page';
export { childRequests, reachableChannels } from './fan-out/child-request';
export { createAcceptTopicNotification } from './use-cases/accept-topic-notification';
export type { AcceptTopicDeps } from './use-cases/accept-topic-notification';
export { createFanOutTopicSend } from './use-cases/fan-out-topic-send';
export type { FanOutDeps } from './use-cases/fan-out-topic-send';
export { cancelUnstartedChildren } from './use-cases/cancel-children';
export { createCancelTopicSend } from './use-cases/cancel-topic-send';
export type { CancelTopicSendDeps, TopicSendCancelled } from './use-cases/cancel-topic-send';
export type { CancelChildrenDeps } from './use-cases/cancel-children';
export { topicSendStatusEvent } from './use-cases/topic-send-event';
export { targetKeyOf } from './target-key';
export { LANES, laneOf } from './lane';
export type { Lane } from './lane';
export { sendAtOf, whyNotCancellable } from './schedule';
export type { CancelInput, CancelResult, SweepEntry } from './schedule';
export { errorSummary } from './error-summary';
export { createAcceptNotification } from './use-cases/accept-notification';
export type { AcceptDeps, AcceptInput, AcceptResult } from './use-cases/accept-notification';
export { createDeliverNotification } from './use-cases/deliver-notification';
export type { DeliverDeps, DeliveryOutcome } from './use-cases/deliver-notification';
export { createSweepPending } from './use-cases/sweep-pending';
export { createRecordReceipt } from './use-cases/record-receipt';
export { createCancelNotification } from './use-cases/cancel-notification';
export type { CancelDeps } from './use-cases/cancel-notification';
export { settledRecord, statusEventId, statusEventOf } from './status-event';
export { publishOwedEvent } from './use-cases/publish-status';
export type { PublishOwedDeps } from './use-cases/publish-status';
export { createStatusRelay } from './use-cases/status-relay';
export type { StatusRelay, StatusRelayDeps } from './use-cases/status-relay';
export type { ReceiptInput, RecordReceiptDeps } from './use-cases/record-receipt';
export { createCircuitBreakers } from './circuit-breaker';
export type { CircuitBreakerOptions, CircuitBreakers } from './circuit-breaker';
export { createTokenBucketPacer, unpaced } from './token-bucket';
export type { Pacer, PacingRule } from './token-bucket';
export type { SweepDeps } from './use-cases/sweep-pending';
export { RECIPIENT_ID_PATTERN, isRecipientId, recipientIdSchema } from './audience/recipient-id';
export { recipientProfileSchema } from './audience/recipient-profile';
export type { RecipientProfile } from './audience/recipient-profile';
export {
  DEVICE_TARGET_KINDS,
  deviceIdOf,
  deviceTargetSchema,
  deviceTargetSchemaFor,
  isDeviceId,
} from './audience/device-target';
export type { DeviceTarget } from './audience/device-target';
export { MAX_DEVICES_PER_RECIPIENT, newestDeviceFirst } from './audience/recipient-store';
export { timezoneSchema } from './audience/recipient-profile';
export {
  MAX_TOPIC_PREFERENCES,
  isOptedOut,
  quietHoursSchema,
  recipientPreferencesSchema,
} from './audience/recipient-preferences';
export type { QuietHours, RecipientPreferences } from './audience/recipient-preferences';
export { quietHoursAt } from './audience/quiet-hours';
export type { QuietHoursState } from './audience/quiet-hours';
export type { PreferenceStore, PreferencesRecord } from './audience/preference-store';
export { recipientAddress } from './audience/recipient-address';
export type { RecipientAddress } from './audience/recipient-address';
export type { RecipientAtSend, SendTimeAudience } from './audience/send-time-audience';
export type {
  DeviceRecord,
  ProfilePrecondition,
  RecipientRecord,
  RecipientStore,
} from './audience/recipient-store';
export {
  MAX_TOPICS_PER_CLIENT,
  MAX_TOPIC_DESCRIPTION_LENGTH,
  MAX_TOPIC_NAME_LENGTH,
  isTopicId,
  subscriptionBodySchema,
  topicCreateSchema,
  topicPatchSchema,
} from './audience/topic';
export type { SubscriptionChannels, TopicCreate, TopicPatch } from './audience/topic';
export type {
  Page as AudiencePage,
  PageOptions as AudiencePageOptions,
  SubscriptionRecord,
  TopicRecord,
  TopicStore,
} from './audience/topic-store';
export {
  SUPPRESSION_PAGE_SIZE,
  SUPPRESSION_REASONS,
  decodeSuppressionCursor,
  encodeSuppressionCursor,
  isWhollySuppressed,
  parseSuppressionAddress,
  suppressionAddressesOf,
} from './audience/suppression';
export type {
  SuppressionEntry,
  SuppressionList,
  SuppressionPage,
  SuppressionReason,
} from './audience/suppression';
export { capWindowStart, cappedNumberOf, recipientCappedReason } from './recipient-caps';
export type {
  CapTicket,
  CapVerdict,
  CappedNumber,
  RecipientCapLimits,
  RecipientCaps,
} from './recipient-caps';
export { optOutOfTopicChannel } from './audience/topic-opt-out';
export type { TopicOptOutResult } from './audience/topic-opt-out';
