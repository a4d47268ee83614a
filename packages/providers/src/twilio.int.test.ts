import type {
  OutboundMessage,
  SmsNotificationRequest,
  WhatsappNotificationRequest,
} from '@herald/core';
import { anSmsRequest } from '@herald/core/testing';
import { startTwilioRecorder, twilioError } from './testing';
import type { TwilioRecorder, TwilioReply } from './testing';
import { createTwilioProvider } from './twilio';
import { createTwilioClient } from './twilio-messages';
import { failureOf, never } from './testing-failures';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'test-auth-token';
const CONTENT_SID = 'HX0123456789abcdef0123456789abcdef';
const MESSAGES_PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;

/** Numbers that make the recorder answer like Twilio does for them. */
const REPLIES: Record<string, TwilioReply> = {
  '+15005550001': twilioError(400, 21211, "The 'To' number +15005550001 is not a valid number."),
  '+15005550004': twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'),
  '+15005550429': twilioError(429, 20429, 'Too Many Requests'),
  '+15005550503': twilioError(503, 20503, 'Service Unavailable'),
};

function sms(
  notificationId: string,
  overrides: Partial<SmsNotificationRequest> = {},
): OutboundMessage<SmsNotificationRequest> {
  return { notificationId, request: anSmsRequest(overrides) };
}

function whatsapp(
  notificationId: string,
  overrides: Partial<WhatsappNotificationRequest> = {},
): OutboundMessage<WhatsappNotificationRequest> {
  return {
    notificationId,
    request: { channel: 'whatsapp', to: '+447400123456', ...overrides },
  };
}

describe('Twilio provider through the real SDK against a local Twilio stand-in', () => {
  let server: TwilioRecorder;
  let messages: ReturnType<typeof createTwilioClient>;

  beforeAll(async () => {
    server = await startTwilioRecorder({
      respond: (req) => REPLIES[req.form.To ?? ''],
    });
    messages = createTwilioClient({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      apiBaseUrl: server.url,
    });
  });

  afterAll(async () => {
    await server.close();
  });

  beforeEach(() => {
    server.requests.length = 0;
  });

  it('posts an SMS to the account Messages resource with Basic auth', async () => {
    const provider = createTwilioProvider({ messages, channel: 'sms', from: '+15005550006' });

    const result = await provider.send(sms('ntf_sms'), never());

    expect(server.requests).toEqual([
      {
        path: MESSAGES_PATH,
        auth: { user: ACCOUNT_SID, pass: AUTH_TOKEN },
        form: { To: '+447400123456', From: '+15005550006', Body: 'Your code is 123456' },
      },
    ]);
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(result.awaitingReceipt).toBeUndefined();
  });

  it('sends the status callback and a messaging service when configured', async () => {
    const provider = createTwilioProvider({
      messages,
      channel: 'sms',
      messagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
      statusCallbackUrl: (id) => `https://herald.test/v1/providers/twilio/status?id=${id}`,
    });

    const result = await provider.send(sms('ntf_callback'), never());

    expect(server.requests[0]?.form).toEqual({
      To: '+447400123456',
      MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
      Body: 'Your code is 123456',
      StatusCallback: 'https://herald.test/v1/providers/twilio/status?id=ntf_callback',
    });
    expect(result).toEqual({
      providerMessageId: expect.stringMatching(/^SM[0-9a-f]{32}$/) as string,
      awaitingReceipt: true,
    });
  });

  it('sends a WhatsApp body with whatsapp: prefixes', async () => {
    const provider = createTwilioProvider({ messages, channel: 'whatsapp', from: '+14155238886' });

    await provider.send(whatsapp('ntf_wa', { body: 'Your order shipped' }), never());

    expect(server.requests[0]?.form).toEqual({
      To: 'whatsapp:+447400123456',
      From: 'whatsapp:+14155238886',
      Body: 'Your order shipped',
    });
  });

  it('sends a WhatsApp template as ContentSid and ContentVariables', async () => {
    const provider = createTwilioProvider({ messages, channel: 'whatsapp', from: '+14155238886' });
    const template = { contentSid: CONTENT_SID, variables: { '1': 'Ada', '2': '12:30' } };

    await provider.send(whatsapp('ntf_template', { template }), never());

    const form = server.requests[0]?.form;
    expect(form).toEqual({
      To: 'whatsapp:+447400123456',
      From: 'whatsapp:+14155238886',
      ContentSid: CONTENT_SID,
      ContentVariables: expect.any(String) as string,
    });
    expect(JSON.parse(form?.ContentVariables ?? '')).toEqual({ '1': 'Ada', '2': '12:30' });
  });

  it('refuses an invalid number permanently without quoting it', async () => {
    const provider = createTwilioProvider({ messages, channel: 'sms', from: '+15005550006' });

    const err = await failureOf(provider.send(sms('ntf_bad', { to: '+15005550001' }), never()));

    expect(err).toMatchObject({
      retryable: false,
      reasonCode: 'recipient_invalid',
      providerCode: '21211',
    });
    expect(err.message).not.toContain('5005550001');
    expect(err.cause).toMatchObject({ status: 400, code: 21211 });
    expect((err.cause as Error).message).not.toContain('5005550001');
  });

  it('refuses an opted-out recipient permanently', async () => {
    const provider = createTwilioProvider({ messages, channel: 'sms', from: '+15005550006' });

    const err = await failureOf(provider.send(sms('ntf_stop', { to: '+15005550004' }), never()));

    expect(err).toMatchObject({ retryable: false, reasonCode: 'recipient_opted_out' });
  });

  it.each([
    ['+15005550429', '20429'],
    ['+15005550503', '20503'],
  ])('retries when Twilio answers %s with code %s', async (to, providerCode) => {
    const provider = createTwilioProvider({ messages, channel: 'sms', from: '+15005550006' });

    const err = await failureOf(provider.send(sms('ntf_busy', { to }), never()));

    expect(err).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
      providerCode,
    });
  });

  it('retries when the credentials are wrong', async () => {
    const strict = await startTwilioRecorder({
      respond: (req) =>
        req.auth.pass === 'right' ? undefined : twilioError(401, 20003, 'Authenticate'),
    });
    const wrong = createTwilioClient({
      accountSid: ACCOUNT_SID,
      authToken: 'wrong',
      apiBaseUrl: strict.url,
    });
    const provider = createTwilioProvider({
      messages: wrong,
      channel: 'sms',
      from: '+15005550006',
    });

    const err = await failureOf(provider.send(sms('ntf_auth'), never())).finally(() =>
      strict.close(),
    );

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_auth_failed' });
  });

  it('retries when the server is gone, without leaking the request into the cause', async () => {
    const gone = await startTwilioRecorder();
    await gone.close();
    const client = createTwilioClient({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      apiBaseUrl: gone.url,
    });
    const provider = createTwilioProvider({
      messages: client,
      channel: 'sms',
      from: '+15005550006',
    });

    const err = await failureOf(provider.send(sms('ntf_gone'), never()));

    expect(err).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
      providerCode: 'ECONNREFUSED',
    });
    expect(JSON.stringify(err.cause)).not.toContain(AUTH_TOKEN);
    expect(err.cause).not.toHaveProperty('config');
  });
});
