import {
  emailSuppressionAddress,
  isWhollySuppressed,
  suppressionAddressesOf,
  type SuppressionList,
  type SuppressionReason,
} from '../audience/suppression';
import { errorSummary } from '../error-summary';
import type { NotificationRecord } from '../notification';
import type { Clock, Logger } from '../ports';
import type { RefusalCode } from '../refusal-code';
import type { EmailNotificationRequest } from '../schemas/email';
import type { NotificationRequest } from '../schemas/notification-request';
import { logIds } from './log-ids';

export interface SuppressionGateDeps {
  /** Without it nothing is suppressed and nothing is learnt. */
  suppressions?: SuppressionList;
  clock: Clock;
  logger: Logger;
}

/**
 * `send`: what to hand the providers (the record itself, or an email without its suppressed
 * addresses; `dropped` counts them). `suppressed`: nothing may be sent.
 */
export type GateVerdict =
  | { kind: 'send'; record: NotificationRecord; dropped: number }
  | { kind: 'suppressed'; message: string };

/** The suppression list on the delivery path: checked before any provider, taught after. */
export interface SuppressionGate {
  /**
   * Looks the notification's addresses up in its client's list. An SMS, WhatsApp or push
   * notification to a suppressed address is `suppressed`. An email is `suppressed` only when
   * every `to` address is; otherwise its suppressed `to`/`cc`/`bcc` addresses are left out of
   * what is sent (the stored request is unchanged). Throws when the list is unreachable (the
   * attempt is then retried like any store outage: sending regardless could reach an address
   * that asked not to be).
   */
  check(record: NotificationRecord): Promise<GateVerdict>;
  /**
   * After a provider refused `sent` for good with `code`: an SMTP recipient rejection of a
   * single-address email (a hard bounce), an SMS/WhatsApp opt-out (Twilio 21610) or a gone push
   * target adds the address to the client's list. Best effort: a failure is logged, never thrown.
   */
  learn(sent: NotificationRecord, code: RefusalCode): Promise<void>;
}

/** Which refusal teaches what, per channel. */
function reasonFor(request: NotificationRequest, code: RefusalCode): SuppressionReason | undefined {
  switch (request.channel) {
    case 'email':
      return code === 'recipient_rejected' || code === 'recipient_invalid'
        ? 'hard_bounce'
        : undefined;
    case 'sms':
    case 'whatsapp':
      return code === 'recipient_opted_out' ? 'opted_out' : undefined;
    case 'push':
      return code === 'subscription_gone' ? 'target_gone' : undefined;
    case 'slack':
      return undefined;
  }
}

/** Builds the gate; with no list configured it lets everything through and learns nothing. */
export function createSuppressionGate(deps: SuppressionGateDeps): SuppressionGate {
  return {
    async check(record) {
      const list = deps.suppressions;
      const addresses = suppressionAddressesOf(record.request);
      if (!list || addresses.length === 0) return { kind: 'send', record, dropped: 0 };
      const hit = await list.isSuppressed(record.clientId, addresses);
      if (hit.size === 0) return { kind: 'send', record, dropped: 0 };
      if (isWhollySuppressed(record.request, hit)) {
        return {
          kind: 'suppressed',
          message:
            record.request.channel === 'email'
              ? 'Every to address is on the suppression list; not sent'
              : 'The address is on the suppression list; not sent',
        };
      }
      if (record.request.channel !== 'email') return { kind: 'send', record, dropped: 0 };
      const request = withoutSuppressed(record.request, hit);
      deps.logger.info(
        { ...logIds(record), dropped: hit.size },
        'suppressed addresses left out of the email',
      );
      return { kind: 'send', record: { ...record, request }, dropped: hit.size };
    },

    async learn(sent, code) {
      const list = deps.suppressions;
      const reason = reasonFor(sent.request, code);
      const addresses = suppressionAddressesOf(sent.request);
      // A rejection of a multi-address email does not say which address was refused.
      if (!list || reason === undefined || addresses.length !== 1) return;
      const [address = ''] = addresses;
      try {
        await list.add(sent.clientId, {
          address,
          reason,
          notificationId: sent.id,
          createdAt: deps.clock.now().toISOString(),
        });
        deps.logger.info({ ...logIds(sent), reason }, 'address added to the suppression list');
      } catch (err) {
        deps.logger.warn(
          { ...logIds(sent), reason, err: errorSummary(err) },
          'could not add the address to the suppression list',
        );
      }
    },
  };
}

/** The email without suppressed addresses (one not wholly suppressed: a `to` address is left). */
function withoutSuppressed(
  request: EmailNotificationRequest,
  hit: ReadonlySet<string>,
): EmailNotificationRequest {
  const keep = (list: string | string[] | undefined) =>
    [list ?? []].flat().filter((a) => !hit.has(emailSuppressionAddress(a)));
  const to = keep(request.to);
  const cc = keep(request.cc);
  const bcc = keep(request.bcc);
  const { cc: _cc, bcc: _bcc, ...rest } = request;
  return {
    ...rest,
    to,
    ...(cc.length > 0 ? { cc } : {}),
    ...(bcc.length > 0 ? { bcc } : {}),
  };
}
