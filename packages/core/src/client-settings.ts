/**
 * Per-client limits that override the deployment's defaults for one client. An absent field
 * means "the deployment's default". Every value is a positive whole number.
 */
export interface ClientLimitOverrides {
  /** `POST /v1/notifications`: sustained requests per second, and the burst after idling. */
  sendPerSecond?: number;
  sendBurst?: number;
  /** `GET /v1/notifications[/:id]`: sustained requests per second, and the burst after idling. */
  readPerSecond?: number;
  readBurst?: number;
  /** Concurrent long-polls (`?waitSeconds=`) per api instance. */
  longPolls?: number;
  /** SMS/WhatsApp messages this client may send to one number per cap window. */
  recipientCap?: number;
}

/**
 * Everything Herald keeps about one client (a token `sub`): the one place per-client settings
 * live. Managed by `herald client set|show`, read by api and worker through a short cache.
 */
export interface ClientSettings {
  clientId: string;
  /** Names of operator-configured Slack webhooks this client may send to. */
  allowedSlackWebhooks: readonly string[];
  limits: ClientLimitOverrides;
  /** Incremented by every write (optimistic concurrency). */
  version: number;
  updatedAt: string;
}

/** Reads a client's settings; `undefined` for a client that has none (defaults apply). */
export interface ClientSettingsReader {
  get(clientId: string): Promise<ClientSettings | undefined>;
}
