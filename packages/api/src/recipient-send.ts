import {
  AppError,
  CHANNELS,
  idempotentNotificationId,
  notificationRequestSchema,
  recipientAddress,
  recipientIdSchema,
  type AcceptInput,
  type Channel,
  type ErrorDetail,
  type NotificationStore,
  type RecipientStore,
} from '@herald/core';
import { toDetails } from './validation';

/** What a `POST /v1/notifications` body becomes before the send checks and the accept. */
export type ParsedSend = Pick<AcceptInput, 'request' | 'audience' | 'sent'>;

export interface RecipientSendDeps {
  /** Without it no recipient exists, so every send naming one is `404`. */
  recipients?: Pick<RecipientStore, 'getAddressBook'>;
  store: Pick<NotificationStore, 'get'>;
}

/**
 * Parses a notification body that names either an address (`to`) or a recipient (`recipient`,
 * exactly one of the two, else `400`). A recipient is resolved here, at accept, with one read of
 * its profile item (devices included): unknown (or another client's) → `404`, no address for
 * the channel (no device for push) → `422 NO_ADDRESS`; the address fills `to` and the whole
 * request is then validated as if the client had sent it (`400` listing every problem). The
 * result carries `audience` (`recipientId`, and `deviceId` for push) and, as `sent`, the body as
 * the client sent it, whose hash makes idempotency. A keyed request whose key already names this
 * client's notification is handed on with that notification's stored request without reading
 * the recipient again: the accept answers the replay (same body) or `IDEMPOTENCY_MISMATCH`, even
 * if the recipient changed or was erased since.
 */
export async function parseSend(
  deps: RecipientSendDeps,
  body: unknown,
  clientId: string,
  idempotencyKey: string | undefined,
): Promise<ParsedSend> {
  if (!isObject(body) || !Object.hasOwn(body, 'recipient')) {
    return { request: parseRequest(body, false) };
  }
  const { recipient, ...rest } = body;
  const problems: ErrorDetail[] = [];
  if (Object.hasOwn(rest, 'to')) {
    problems.push({ path: 'to', message: 'give either to or recipient, not both' });
  }
  const id = recipientIdSchema.safeParse(recipient);
  if (!id.success) problems.push({ path: 'recipient', message: idMessage(recipient) });
  const channel = channelOf(rest.channel);
  if (channel === undefined) {
    problems.push({ path: 'channel', message: `must be one of ${CHANNELS.join(', ')}` });
  }
  if (problems.length > 0 || !id.success || channel === undefined) throw invalid(problems);

  if (idempotencyKey !== undefined) {
    const existing = await deps.store.get(idempotentNotificationId(clientId, idempotencyKey));
    if (existing?.clientId === clientId) {
      const replay: ParsedSend = { request: existing.request, sent: body };
      return existing.audience ? { ...replay, audience: existing.audience } : replay;
    }
  }
  const book = await deps.recipients?.getAddressBook(clientId, id.data);
  if (book === undefined) throw new AppError('NOT_FOUND', 'Recipient not found');
  const address = recipientAddress(channel, book.recipient.profile, book.devices);
  if (address === undefined) {
    throw new AppError(
      'NO_ADDRESS',
      channel === 'push'
        ? 'The recipient has no device to push to'
        : `The recipient has no address for ${channel}`,
      { details: [{ path: 'recipient', message: `has no address for ${channel}` }] },
    );
  }
  const request = parseRequest({ ...rest, to: address.to }, true);
  const audience = {
    recipientId: id.data,
    ...(address.deviceId !== undefined ? { deviceId: address.deviceId } : {}),
  };
  return { request, audience, sent: body };
}

/**
 * The channel schema, every problem listed. Without `to` or `recipient` the missing address is
 * reported as such; with a resolved address, a problem with it is reported on `recipient`.
 */
function parseRequest(input: unknown, resolved: boolean) {
  const result = notificationRequestSchema.safeParse(input);
  if (result.success) return result.data;
  const missingAddress = isObject(input) && !Object.hasOwn(input, 'to');
  const details = toDetails(result.error.issues).map((detail) => {
    if (missingAddress && detail.path === 'to') {
      return { path: 'to', message: 'exactly one of to or recipient is required' };
    }
    return resolved ? onRecipient(detail) : detail;
  });
  return throwInvalid(details);
}

/**
 * Runs the checks that follow the schema (URL policy, webhook scope) on a parsed send; for one
 * naming a recipient, a problem they find with the resolved address is reported on `recipient`,
 * the field the client sent, never on a `to` it did not send.
 */
export async function checkParsed(parsed: ParsedSend, check: () => Promise<void>): Promise<void> {
  if (parsed.audience === undefined) return check();
  try {
    await check();
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED' && isDetails(err.details)) {
      throw invalid(err.details.map(onRecipient));
    }
    throw err;
  }
}

/** A problem with a resolved address, said of the recipient it came from. */
function onRecipient(detail: ErrorDetail): ErrorDetail {
  if (detail.path !== 'to' && !detail.path.startsWith('to.')) return detail;
  return { path: 'recipient', message: `its address is not accepted here: ${detail.message}` };
}

function isDetails(value: unknown): value is ErrorDetail[] {
  return (
    Array.isArray(value) &&
    value.every((d) => isObject(d) && typeof d.path === 'string' && typeof d.message === 'string')
  );
}

function throwInvalid(details: ErrorDetail[]): never {
  throw invalid(details);
}

function invalid(details: ErrorDetail[]): AppError {
  return new AppError('VALIDATION_FAILED', 'Notification is invalid', { details });
}

function idMessage(value: unknown): string {
  return typeof value === 'string'
    ? 'must be 1-128 characters of A-Z a-z 0-9 . _ : @ -'
    : 'must be a recipient id (a string)';
}

function channelOf(value: unknown): Channel | undefined {
  return CHANNELS.find((c) => c === value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
