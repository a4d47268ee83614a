export { createUrlGuard } from './url-guard';
export type { ResolvedTarget, UrlGuard, UrlGuardOptions } from './url-guard';
export { isForbiddenAddress } from './forbidden-address';
export { createDnsLookup } from './dns-lookup';
export type { DnsLookupOptions, HostLookup, ResolvedAddress } from './dns-lookup';
export { createGuardedAgent } from './guarded-agent';
export type { GuardedAgent, GuardedAgentOptions } from './guarded-agent';
export { guardedFetch } from './guarded-fetch';
export type { GuardedFetchOptions, GuardedRequestInit, GuardedResponse } from './guarded-fetch';
export { verifyTwilioSignature } from './twilio-signature';
export type { TwilioSignedRequest } from './twilio-signature';
export { permanentTwilioError, twilioDeliveryOutcome, twilioReceiptReason } from './twilio-status';
export type { TwilioDeliveryOutcome, TwilioErrorMeaning } from './twilio-status';
export {
  CALLBACK_SIGNATURE_HEADER,
  deriveClientSecret,
  signCallback,
  verifyCallbackSignature,
} from './callback-signature';
export {
  MAX_UNSUBSCRIBE_TOKEN_LENGTH,
  MIN_LINK_SECRET_BYTES,
  createUnsubscribeTokens,
  decodeLinkSecret,
} from './unsubscribe-token';
export type { UnsubscribeTarget, UnsubscribeTokens } from './unsubscribe-token';
