/**
 * Test support shared by the provider suites: a signal that never aborts, and the ProviderError a
 * send rejects with.
 */
import { ProviderError } from '@herald/core';

/** A signal nobody aborts: a send with no deadline. */
export const never = () => new AbortController().signal;

/** The ProviderError `promise` rejects with; throws if it resolves or rejects with anything else. */
export async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ProviderError))
    throw new Error(`expected a ProviderError, got ${String(err)}`);
  return err;
}
