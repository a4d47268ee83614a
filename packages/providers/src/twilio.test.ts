import { AppError } from '@herald/core';
import type {
  OutboundMessage,
  SmsNotificationRequest,
  WhatsappNotificationRequest,
} from '@herald/core';
import { anSmsRequest } from '@herald/core/testing';
import { createTwilioProvider } from './twilio';
import type { TwilioCreateParams, TwilioMessages } from './twilio-messages';
import { failureOf, never } from './testing-failures';

const SID = 'SM0123456789abcdef0123456789abcdef';
const CONTENT_SID = 'HX0123456789abcdef0123456789abcdef';
const NOTIFICATION_ID = 'ntf_0123456789abcdefghijklmnop';

/** Records every create call; `behaviour` decides each call's result. */
class FakeMessages implements TwilioMessages {
  readonly created: TwilioCreateParams[] = [];
  behaviour: (p: TwilioCreateParams) => Promise<{ sid: string; status?: string }> = () =>
    Promise.resolve({ sid: SID, status: 'queued' });

  create(p: TwilioCreateParams) {
    this.created.push(p);
    return this.behaviour(p);
  }
}

/** What the SDK's RestException carries. */
function restException(status: number, code: number, message = 'failed'): Error {
  return Object.assign(new Error(message), {
    status,
    code,
    moreInfo: `https://www.twilio.com/docs/errors/${code}`,
  });
}

function sms(
  overrides: Partial<SmsNotificationRequest> = {},
): OutboundMessage<SmsNotificationRequest> {
  return { notificationId: NOTIFICATION_ID, request: anSmsRequest(overrides) };
}

function whatsapp(
  overrides: Partial<WhatsappNotificationRequest> = {},
): OutboundMessage<WhatsappNotificationRequest> {
  return {
    notificationId: NOTIFICATION_ID,
    request: { channel: 'whatsapp', to: '+447400123456', body: 'Your order shipped', ...overrides },
  };
}

describe('createTwilioProvider', () => {
  describe('for SMS', () => {
    it('sends the body to the number from the configured sender', async () => {
      const messages = new FakeMessages();
      const provider = createTwilioProvider({ messages, channel: 'sms', from: '+15005550006' });

      const result = await provider.send(sms(), never());

      expect(messages.created).toEqual([
        { to: '+447400123456', from: '+15005550006', body: 'Your code is 123456' },
      ]);
      expect(result).toEqual({ providerMessageId: SID });
      expect(provider).toMatchObject({ channel: 'sms', name: 'twilio' });
    });

    it('sends through a messaging service when one is configured', async () => {
      const messages = new FakeMessages();
      const provider = createTwilioProvider({
        messages,
        channel: 'sms',
        messagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
        name: 'twilio-eu',
      });

      await provider.send(sms(), never());

      expect(messages.created[0]).toEqual({
        to: '+447400123456',
        messagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
        body: 'Your code is 123456',
      });
      expect(provider.name).toBe('twilio-eu');
    });

    it('rejects options without a sender or messaging service', () => {
      const create = () =>
        createTwilioProvider({ messages: new FakeMessages(), channel: 'sms', from: ' ' });

      expect(create).toThrow(AppError);
      expect(create).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }) as Error);
    });
  });

  describe('for WhatsApp', () => {
    it('prefixes the recipient and the sender with whatsapp:', async () => {
      const messages = new FakeMessages();
      const provider = createTwilioProvider({
        messages,
        channel: 'whatsapp',
        from: '+14155238886',
      });

      await provider.send(whatsapp(), never());

      expect(messages.created[0]).toEqual({
        to: 'whatsapp:+447400123456',
        from: 'whatsapp:+14155238886',
        body: 'Your order shipped',
      });
      expect(provider.channel).toBe('whatsapp');
    });

    it('keeps a sender that is already prefixed', async () => {
      const messages = new FakeMessages();
      const provider = createTwilioProvider({
        messages,
        channel: 'whatsapp',
        from: 'whatsapp:+14155238886',
      });

      await provider.send(whatsapp(), never());

      expect(messages.created[0]?.from).toBe('whatsapp:+14155238886');
    });

    it('sends a template as a content SID with its variables as JSON', async () => {
      const messages = new FakeMessages();
      const provider = createTwilioProvider({
        messages,
        channel: 'whatsapp',
        from: '+14155238886',
      });
      const template = { contentSid: CONTENT_SID, variables: { '1': 'Ada', name: 'O"Brien' } };

      await provider.send(whatsapp({ body: undefined, template }), never());

      const params = messages.created[0]!;
      expect(params).toEqual({
        to: 'whatsapp:+447400123456',
        from: 'whatsapp:+14155238886',
        contentSid: CONTENT_SID,
        contentVariables: expect.any(String) as string,
      });
      expect(JSON.parse(params.contentVariables!)).toEqual({ '1': 'Ada', name: 'O"Brien' });
    });

    it('sends a template without variables as a bare content SID', async () => {
      const messages = new FakeMessages();
      const provider = createTwilioProvider({
        messages,
        channel: 'whatsapp',
        from: '+14155238886',
      });

      await provider.send(
        whatsapp({ body: undefined, template: { contentSid: CONTENT_SID } }),
        never(),
      );

      expect(messages.created[0]).not.toHaveProperty('contentVariables');
      expect(messages.created[0]).not.toHaveProperty('body');
    });
  });

  describe('status callbacks', () => {
    it('asks for a status callback and reports that a receipt will follow', async () => {
      const messages = new FakeMessages();
      const provider = createTwilioProvider({
        messages,
        channel: 'sms',
        from: '+15005550006',
        statusCallbackUrl: (id) => `https://herald.test/v1/providers/twilio/status?id=${id}`,
      });

      const result = await provider.send(sms(), never());

      expect(messages.created[0]?.statusCallback).toBe(
        `https://herald.test/v1/providers/twilio/status?id=${NOTIFICATION_ID}`,
      );
      expect(result).toEqual({ providerMessageId: SID, awaitingReceipt: true });
    });

    it('does not wait for a receipt when the callback URL is undefined', async () => {
      const messages = new FakeMessages();
      const provider = createTwilioProvider({
        messages,
        channel: 'sms',
        from: '+15005550006',
        statusCallbackUrl: () => undefined,
      });

      const result = await provider.send(sms(), never());

      expect(messages.created[0]).not.toHaveProperty('statusCallback');
      expect(result).toEqual({ providerMessageId: SID });
    });
  });

  describe('failures', () => {
    it('throws a permanent error for an invalid number without quoting it', async () => {
      const messages = new FakeMessages();
      messages.behaviour = () =>
        Promise.reject(
          restException(400, 21211, "The 'To' number +447400123456 is not a valid phone number."),
        );
      const provider = createTwilioProvider({ messages, channel: 'sms', from: '+15005550006' });

      const err = await failureOf(provider.send(sms(), never()));

      expect(err).toMatchObject({
        provider: 'twilio',
        retryable: false,
        reasonCode: 'recipient_invalid',
        providerCode: '21211',
      });
      expect(err.message).not.toContain('7700900123');
      expect(String((err.cause as Error).message)).not.toContain('7700900123');
    });

    it('throws a retryable error when Twilio is unavailable', async () => {
      const messages = new FakeMessages();
      messages.behaviour = () => Promise.reject(restException(503, 20503));
      const provider = createTwilioProvider({ messages, channel: 'sms', from: '+15005550006' });

      const err = await failureOf(provider.send(sms(), never()));

      expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_unavailable' });
    });

    it('logs authentication failures for the operator', async () => {
      const messages = new FakeMessages();
      messages.behaviour = () => Promise.reject(restException(401, 20003));
      const logger = { error: jest.fn() };
      const provider = createTwilioProvider({
        messages,
        channel: 'sms',
        from: '+15005550006',
        logger,
      });

      const err = await failureOf(provider.send(sms(), never()));

      expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_auth_failed' });
      expect(logger.error).toHaveBeenCalledWith(
        expect.objectContaining({ provider: 'twilio', notificationId: NOTIFICATION_ID }),
        expect.stringContaining('authentication failed'),
      );
    });
  });

  describe('deadline', () => {
    it('throws a retryable timeout when the signal aborts mid-send', async () => {
      const messages = new FakeMessages();
      messages.behaviour = () => new Promise(() => undefined);
      const provider = createTwilioProvider({ messages, channel: 'sms', from: '+15005550006' });
      const controller = new AbortController();

      const sending = failureOf(provider.send(sms(), controller.signal));
      controller.abort();
      const err = await sending;

      expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_timeout' });
      expect(messages.created).toHaveLength(1);
    });

    it('does not call Twilio when the signal has already aborted', async () => {
      const messages = new FakeMessages();
      const provider = createTwilioProvider({ messages, channel: 'sms', from: '+15005550006' });

      const err = await failureOf(provider.send(sms(), AbortSignal.abort()));

      expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_timeout' });
      expect(messages.created).toHaveLength(0);
    });
  });
});
