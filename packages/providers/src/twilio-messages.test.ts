import { AppError } from '@herald/core';
import { createTwilioClient } from './twilio-messages';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';

describe('createTwilioClient', () => {
  it('returns the Messages API without making a request', () => {
    const messages = createTwilioClient({
      accountSid: ACCOUNT_SID,
      authToken: 'token',
      apiBaseUrl: 'http://127.0.0.1:1/',
    });

    expect(typeof messages.create).toBe('function');
  });

  it.each([
    [{ accountSid: 'SK0123', authToken: 'token' }],
    [{ accountSid: ACCOUNT_SID, authToken: '' }],
    [{ accountSid: ACCOUNT_SID, authToken: 'token', apiBaseUrl: 'not a url' }],
    [{ accountSid: ACCOUNT_SID, authToken: 'token', apiBaseUrl: 'ftp://127.0.0.1' }],
  ])('rejects invalid options %o', (opts) => {
    const create = () => createTwilioClient(opts);

    expect(create).toThrow(AppError);
    expect(create).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }) as Error);
  });
});
