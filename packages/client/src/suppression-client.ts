import type { SuppressionEntry } from '@herald/core';
import type { HttpRequester } from './http';

/** A page of the caller's suppression list; pass `nextCursor` back for the next one. */
export interface SuppressionPage {
  items: SuppressionEntry[];
  nextCursor?: string;
}

/**
 * The caller's suppression list (`/v1/suppressions`): addresses Herald will not send to again
 * (an SMTP hard bounce, an SMS opt-out, a gone push target), each refused `suppressed` without
 * a provider call. Listing needs `audience:read`, lifting `audience:write`.
 */
export interface SuppressionClient {
  /** `GET /v1/suppressions`: 100 entries a page, in address order. */
  listSuppressions(opts?: { cursor?: string; signal?: AbortSignal }): Promise<SuppressionPage>;
  /**
   * `DELETE /v1/suppressions/:address`: lifts one entry, named by its `address`
   * (`email:ada@example.com`, `sms:+447700900123`, `whatsapp:…`, `push:…`; sent URL-encoded).
   * Rejects with `NOT_FOUND` (404) when there is none, `VALIDATION_FAILED` (400) for an address
   * of no such form. Safe to retry (a retry after a lost answer is `NOT_FOUND`).
   */
  deleteSuppression(address: string, opts?: { signal?: AbortSignal }): Promise<void>;
}

/** The {@link SuppressionClient} methods over one client's requester. */
export function createSuppressionClient(http: HttpRequester): SuppressionClient {
  return {
    async listSuppressions(opts = {}) {
      const res = await http({
        method: 'GET',
        path: '/v1/suppressions',
        query: { cursor: opts.cursor },
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return res.body as SuppressionPage;
    },
    async deleteSuppression(address, opts = {}) {
      await http({
        method: 'DELETE',
        path: `/v1/suppressions/${encodeURIComponent(address)}`,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    },
  };
}
