import type { DeviceTarget, RecipientPreferences, RecipientProfile } from '@herald/core';
import type { HttpRequester, HttpResponse } from './http';

/** A recipient as the API shows it: its id, its profile's fields, and when it was written. */
export type RecipientView = RecipientProfile & { id: string; createdAt: string; updatedAt: string };

/** A device of a recipient as the API shows it. */
export interface DeviceView {
  deviceId: string;
  target: DeviceTarget;
  createdAt: string;
  updatedAt: string;
}

/** A read of a versioned resource: the value and its `ETag`, to pass back as `ifMatch`. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

/** A write of a versioned resource: the stored value, its new `ETag`, and whether it was new. */
export interface Written<T> extends Versioned<T> {
  created: boolean;
}

/** Preconditions of a write (`412 PRECONDITION_FAILED` when they do not hold, nothing stored). */
export interface WriteOptions {
  /** An `ETag` from a read or write: the write happens only if nothing changed since. `*`: it must exist. */
  ifMatch?: string;
  /** `true`: the write happens only if there is nothing yet (`If-None-Match: *`). */
  ifNoneMatch?: boolean;
  signal?: AbortSignal;
}

/** Options of a read or delete. */
export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * Recipients, their devices and their preferences (`/v1/recipients/…`; `audience:write` to
 * change, `audience:read` to read). Every id is sent URL-encoded; an unknown recipient, or
 * another client's, rejects with `NOT_FOUND` (404), a bad body with `VALIDATION_FAILED` (400)
 * listing every problem. Reads and deletes are safe to retry; so are PUTs (they replace).
 */
export interface AudienceClient {
  /** `PUT /v1/recipients/:id`: creates or replaces the profile (devices and preferences stay). */
  putRecipient(
    recipientId: string,
    profile: RecipientProfile,
    opts?: WriteOptions,
  ): Promise<Written<RecipientView>>;
  /** `GET /v1/recipients/:id`. */
  getRecipient(recipientId: string, opts?: CallOptions): Promise<Versioned<RecipientView>>;
  /** `DELETE /v1/recipients/:id`: erases the recipient and everything it has, at once. */
  deleteRecipient(recipientId: string, opts?: CallOptions): Promise<void>;
  /**
   * `POST /v1/recipients/:id/devices`: registers a device (the same token again is the same
   * device, `created: false`). `CONFLICT` (409) beyond 20 devices.
   */
  addDevice(
    recipientId: string,
    target: DeviceTarget,
    opts?: CallOptions,
  ): Promise<{ device: DeviceView; created: boolean }>;
  /** `GET /v1/recipients/:id/devices`: newest registration first. */
  listDevices(recipientId: string, opts?: CallOptions): Promise<DeviceView[]>;
  /** `DELETE /v1/recipients/:id/devices/:deviceId`; `NOT_FOUND` when there is no such device. */
  removeDevice(recipientId: string, deviceId: string, opts?: CallOptions): Promise<void>;
  /** `GET /v1/recipients/:id/preferences`: `{}` (with an ETag) before any were written. */
  getPreferences(recipientId: string, opts?: CallOptions): Promise<Versioned<RecipientPreferences>>;
  /** `PUT /v1/recipients/:id/preferences`: replaces them all. */
  putPreferences(
    recipientId: string,
    preferences: RecipientPreferences,
    opts?: WriteOptions,
  ): Promise<Written<RecipientPreferences>>;
}

/** The {@link AudienceClient} methods over one client's requester. */
export function createAudienceClient(http: HttpRequester): AudienceClient {
  const recipientPath = (id: string) => `/v1/recipients/${encodeURIComponent(id)}`;
  const signalOf = (opts: CallOptions | undefined) => (opts?.signal ? { signal: opts.signal } : {});

  async function put<T>(path: string, json: unknown, opts: WriteOptions = {}) {
    const res = await http({
      method: 'PUT',
      path,
      json,
      headers: preconditionHeaders(opts),
      ...signalOf(opts),
    });
    return { ...versioned<T>(res), created: res.status === 201 };
  }

  async function get<T>(path: string, opts?: CallOptions) {
    return versioned<T>(await http({ method: 'GET', path, ...signalOf(opts) }));
  }

  async function remove(path: string, opts?: CallOptions): Promise<void> {
    await http({ method: 'DELETE', path, ...signalOf(opts) });
  }

  return {
    putRecipient: (id, profile, opts) => put<RecipientView>(recipientPath(id), profile, opts),
    getRecipient: (id, opts) => get<RecipientView>(recipientPath(id), opts),
    deleteRecipient: (id, opts) => remove(recipientPath(id), opts),
    async addDevice(id, target, opts) {
      const res = await http({
        method: 'POST',
        path: `${recipientPath(id)}/devices`,
        json: target,
        ...signalOf(opts),
      });
      return { device: res.body as DeviceView, created: res.status === 201 };
    },
    async listDevices(id, opts) {
      const res = await http({
        method: 'GET',
        path: `${recipientPath(id)}/devices`,
        ...signalOf(opts),
      });
      return (res.body as { items: DeviceView[] }).items;
    },
    removeDevice: (id, deviceId, opts) =>
      remove(`${recipientPath(id)}/devices/${encodeURIComponent(deviceId)}`, opts),
    getPreferences: (id, opts) =>
      get<RecipientPreferences>(`${recipientPath(id)}/preferences`, opts),
    putPreferences: (id, preferences, opts) =>
      put<RecipientPreferences>(`${recipientPath(id)}/preferences`, preferences, opts),
  };
}

function preconditionHeaders(opts: WriteOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  if (opts.ifMatch !== undefined) headers['If-Match'] = opts.ifMatch;
  if (opts.ifNoneMatch === true) headers['If-None-Match'] = '*';
  return headers;
}

function versioned<T>(res: HttpResponse): Versioned<T> {
  return { value: res.body as T, etag: res.headers.get('etag') ?? '' };
}
