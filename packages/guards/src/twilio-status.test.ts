import { twilioDeliveryOutcome, twilioReceiptReason } from './twilio-status';

describe('twilioDeliveryOutcome', () => {
  it.each([
    ['delivered', 'delivered'],
    ['read', 'delivered'],
    ['undelivered', 'failed'],
    ['failed', 'failed'],
    ['canceled', 'failed'],
    ['queued', 'pending'],
    ['sending', 'pending'],
    ['sent', 'pending'],
    ['accepted', 'pending'],
    ['scheduled', 'pending'],
    ['something-new', 'pending'],
  ])('maps %s to %s', (status, outcome) => {
    expect(twilioDeliveryOutcome(status)).toBe(outcome);
  });

  it('keeps a delivered status delivered even with an error code', () => {
    expect(twilioDeliveryOutcome('delivered', '30008')).toBe('delivered');
  });
});

describe('twilioReceiptReason', () => {
  it.each([
    ['30003', 'recipient_unreachable'],
    ['30005', 'recipient_invalid'],
    ['30007', 'recipient_blocked'],
    ['21610', 'recipient_opted_out'],
    ['30008', 'provider_undelivered'],
    [undefined, 'provider_undelivered'],
    ['not a code', 'provider_undelivered'],
  ])('gives error code %s the reason %s', (errorCode, code) => {
    const reason = twilioReceiptReason(errorCode);

    expect(reason.code).toBe(code);
    expect(reason.message).not.toContain('not a code');
  });
});
