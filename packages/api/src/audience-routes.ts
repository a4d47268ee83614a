import type { Clock, PreferenceStore, RecipientStore } from '@herald/core';
import type { Express, RequestHandler } from 'express';
import { jsonBody } from './middleware/json-body';
import { requireScope } from './middleware/require-client-token';
import { deleteDevice } from './routes/delete-device';
import { deleteRecipient } from './routes/delete-recipient';
import { getPreferences } from './routes/get-preferences';
import { getRecipient } from './routes/get-recipient';
import { listDevices } from './routes/list-devices';
import { methodNotAllowed } from './routes/method-not-allowed';
import { postDevice } from './routes/post-device';
import { putPreferences } from './routes/put-preferences';
import { putRecipient } from './routes/put-recipient';

/** What the recipient routes need. */
export interface AudienceRouteDeps {
  recipients: RecipientStore;
  /** Recipients' preferences; the `…/preferences` routes exist only when it is given. */
  preferences?: PreferenceStore;
  clock: Clock;
  /** Token check (and the client's settings), as for every client route. */
  auth: RequestHandler[];
  /** The per-client read limit, applied to every recipient route (reads and writes). */
  limit: RequestHandler[];
}

const READ = 'audience:read';
const WRITE = 'audience:write';
const RECIPIENT = '/v1/recipients/:recipientId';
const DEVICES = `${RECIPIENT}/devices`;
const PREFERENCES = `${RECIPIENT}/preferences`;

/**
 * Recipients and their devices: `PUT/GET/DELETE /v1/recipients/:recipientId`,
 * `POST/GET …/devices`, `DELETE …/devices/:deviceId`, `GET/PUT …/preferences`. Reading needs `audience:read`, changing
 * `audience:write` (`403` otherwise, after the token check); every route is keyed by the
 * caller's client id, so another client's recipient is `404`.
 */
export function registerAudienceRoutes(app: Express, deps: AudienceRouteDeps): void {
  const { recipients, clock, auth, limit } = deps;
  const reading = [...auth, requireScope(READ), ...limit];
  const writing = [...auth, requireScope(WRITE), ...limit];
  app.put(RECIPIENT, ...writing, ...jsonBody(), putRecipient({ recipients, clock }));
  app.get(RECIPIENT, ...reading, getRecipient(recipients));
  app.delete(RECIPIENT, ...writing, deleteRecipient(recipients));
  app.all(RECIPIENT, methodNotAllowed('GET, PUT, DELETE', 'a recipient is replaced with PUT'));
  app.post(DEVICES, ...writing, ...jsonBody(), postDevice({ recipients, clock }));
  app.get(DEVICES, ...reading, listDevices(recipients));
  app.all(DEVICES, methodNotAllowed('GET, POST', 'devices are added with POST'));
  app.delete(`${DEVICES}/:deviceId`, ...writing, deleteDevice(recipients));
  app.all(`${DEVICES}/:deviceId`, methodNotAllowed('DELETE', 'a device is only removed'));
  if (deps.preferences) {
    const { preferences } = deps;
    app.put(PREFERENCES, ...writing, ...jsonBody(), putPreferences({ preferences, clock }));
    app.get(PREFERENCES, ...reading, getPreferences(preferences));
    app.all(PREFERENCES, methodNotAllowed('GET, PUT', 'preferences are replaced with PUT'));
  }
}
