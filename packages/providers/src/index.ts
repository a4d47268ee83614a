export { createSmtpTransport } from './smtp-transport';
export type { SmtpTransportOptions } from './smtp-transport';
export { createSmtpEmailProvider } from './smtp-email';
export type { SmtpEmailProviderOptions, SmtpMailTransport } from './smtp-email';
export { createTwilioProvider } from './twilio';
export type { TwilioChannel, TwilioProviderOptions, TwilioRequest } from './twilio';
export { createTwilioClient } from './twilio-messages';
export type { TwilioClientOptions, TwilioCreateParams, TwilioMessages } from './twilio-messages';
export { twilioDeliveryOutcome, twilioReceiptReason } from './twilio-error';
export type { TwilioDeliveryOutcome } from './twilio-error';
export { verifyTwilioSignature } from './twilio-signature';
export type { TwilioSignedRequest } from './twilio-signature';
export { createWebPushProvider, MAX_WEB_PUSH_PAYLOAD_BYTES } from './web-push';
export type { WebPushPayload, WebPushProviderOptions } from './web-push';
export { createWebPushSender, generateVapidKeys } from './web-push-sender';
export type { VapidKeys, WebPushSendOptions, WebPushSender } from './web-push-sender';
export { createSnsPushProvider } from './sns-push';
export type { SnsPushProviderOptions } from './sns-push';
export { createSandboxProvider } from './sandbox';
export type { SandboxProviderOptions } from './sandbox';
export { createUrlGuard, isForbiddenAddress } from './url-guard';
export type { ResolvedAddress, ResolvedTarget, UrlGuard, UrlGuardOptions } from './url-guard';
export { createDnsLookup } from './dns-lookup';
export type { DnsLookupOptions, HostLookup } from './dns-lookup';
export { createGuardedAgent } from './guarded-agent';
export type { GuardedAgent, GuardedAgentOptions } from './guarded-agent';
export { guardedFetch } from './guarded-fetch';
export type { GuardedFetchOptions, GuardedRequestInit, GuardedResponse } from './guarded-fetch';
export {
  CALLBACK_SIGNATURE_HEADER,
  deriveClientSecret,
  signCallback,
  verifyCallbackSignature,
} from './callback-signature';
export { CallbackError, createCallbackSender } from './callback-sender';
export type { CallbackSender, CallbackSenderOptions } from './callback-sender';
export { createSlackProvider } from './slack';
export type { SlackProviderOptions } from './slack';
