import type { PreferenceStore, PreferencesRecord } from './audience/preference-store';
import type { RecipientPreferences } from './audience/recipient-preferences';
import type { ProfilePrecondition } from './audience/recipient-store';
import { AppError } from './errors';
import type { InMemoryRecipientStore } from './testing-recipient-store';

interface Stored {
  incarnation: string;
  revision: number;
  preferences: RecipientPreferences;
  updatedAt: string;
}

/**
 * A {@link PreferenceStore} in memory beside an {@link InMemoryRecipientStore}, following the
 * DynamoDB adapter's rules: preferences belong to one incarnation of a recipient, so a recipient
 * erased and created again starts with none; the version is `<incarnation>.<revision>`, revision
 * 0 when none were written.
 */
export class InMemoryPreferenceStore implements PreferenceStore {
  readonly stored = new Map<string, Stored>();

  constructor(private readonly recipients: InMemoryRecipientStore) {}

  getPreferences(clientId: string, recipientId: string): Promise<PreferencesRecord | undefined> {
    const current = this.current(clientId, recipientId);
    return Promise.resolve(current && recordOf(current.incarnation, current.stored));
  }

  putPreferences(p: {
    clientId: string;
    recipientId: string;
    preferences: RecipientPreferences;
    precondition: ProfilePrecondition;
    now: string;
  }): Promise<{ created: boolean; record: PreferencesRecord }> {
    const current = this.current(p.clientId, p.recipientId);
    if (!current) return Promise.reject(new AppError('NOT_FOUND', 'Recipient not found'));
    const before = recordOf(current.incarnation, current.stored);
    if (!holds(p.precondition, before, current.stored !== undefined)) {
      return Promise.reject(new AppError('PRECONDITION_FAILED', 'The preferences have changed'));
    }
    const stored: Stored = {
      incarnation: current.incarnation,
      revision: (current.stored?.revision ?? 0) + 1,
      preferences: structuredClone(p.preferences),
      updatedAt: p.now,
    };
    this.stored.set(keyOf(p.clientId, p.recipientId), stored);
    return Promise.resolve({
      created: current.stored === undefined,
      record: recordOf(current.incarnation, stored),
    });
  }

  private current(clientId: string, recipientId: string) {
    const recipient = this.recipients.recipients.get(keyOf(clientId, recipientId));
    if (!recipient) return undefined;
    const stored = this.stored.get(keyOf(clientId, recipientId));
    // Preferences of an erased incarnation are not this recipient's.
    return {
      incarnation: recipient.incarnation,
      stored: stored?.incarnation === recipient.incarnation ? stored : undefined,
    };
  }
}

function recordOf(incarnation: string, stored: Stored | undefined): PreferencesRecord {
  if (!stored) return { preferences: {}, version: `${incarnation}.0` };
  return {
    preferences: structuredClone(stored.preferences),
    version: `${incarnation}.${stored.revision}`,
    updatedAt: stored.updatedAt,
  };
}

function holds(precondition: ProfilePrecondition, before: PreferencesRecord, exists: boolean) {
  switch (precondition.kind) {
    case 'none':
      return true;
    case 'exists':
      return exists;
    case 'absent':
      return !exists;
    case 'version':
      return precondition.version === before.version;
  }
}

function keyOf(clientId: string, recipientId: string): string {
  return `${clientId}\u0000${recipientId}`;
}
