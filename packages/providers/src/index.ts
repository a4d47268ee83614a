export { createSmtpTransport } from './smtp-transport';
export type { SmtpTransportOptions } from './smtp-transport';
export { createSmtpEmailProvider } from './smtp-email';
export type { SmtpEmailProviderOptions, SmtpMailTransport } from './smtp-email';
