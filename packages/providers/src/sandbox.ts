import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Channel, NotificationRequest, Provider } from '@herald/core';
import { ProviderError } from '@herald/core';

export interface SandboxProviderOptions {
  channel: Channel;
  /** Messages are appended to `<outboxDir>/<channel>.jsonl`. */
  outboxDir: string;
  now?: () => Date;
  /** Limits the sandbox to some targets (e.g. mobile push only, while web push is real). */
  supports?: (request: NotificationRequest) => boolean;
}

/**
 * The explicit stand-in provider for local mode and staging: it "delivers" by appending one JSON
 * line per message to the channel's outbox file, so a developer can see exactly what would have
 * been sent. It reports `provider: "sandbox"`; production refuses to start with it unless
 * explicitly allowed (HERALD_ALLOW_SANDBOX).
 */
export function createSandboxProvider(opts: SandboxProviderOptions): Provider {
  const file = path.join(opts.outboxDir, `${opts.channel}.jsonl`);
  let ready: Promise<unknown> | undefined;
  return {
    channel: opts.channel,
    name: 'sandbox',
    ...(opts.supports ? { supports: opts.supports } : {}),
    async send(message) {
      try {
        ready ??= mkdir(opts.outboxDir, { recursive: true });
        await ready;
        const line = {
          at: (opts.now?.() ?? new Date()).toISOString(),
          notificationId: message.notificationId,
          request: message.request satisfies NotificationRequest,
        };
        // One write per line with O_APPEND: concurrent sends never interleave within a line.
        await appendFile(file, `${JSON.stringify(line)}\n`);
        return { providerMessageId: `sandbox:${message.notificationId}` };
      } catch (cause) {
        throw new ProviderError('sandbox', true, 'Sandbox outbox could not be written', {
          cause,
          reasonCode: 'provider_unavailable',
        });
      }
    },
  };
}
