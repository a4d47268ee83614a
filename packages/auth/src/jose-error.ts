import { AppError } from '@herald/core';
import { errors } from 'jose';

/**
 * Turns a token verification failure into AppError `UNAUTHENTICATED` with a message safe to show
 * the caller (it names the kind of failure, never the token or key). Anything that is not a jose
 * error is treated the same way: a verifier fails closed.
 */
export function toUnauthenticated(err: unknown): AppError {
  return new AppError('UNAUTHENTICATED', messageFor(err), { cause: err });
}

function messageFor(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'token expired';
  if (err instanceof errors.JWTClaimValidationFailed) return claimMessage(err.claim);
  if (err instanceof errors.JWKSNoMatchingKey) return 'token signing key is not trusted';
  // Signature, algorithm and format failures all read the same to a caller, on purpose.
  return 'token is invalid';
}

function claimMessage(claim: string): string {
  if (claim === 'nbf') return 'token is not yet valid';
  if (claim === 'iss' || claim === 'aud') return 'token is not meant for this service';
  return 'token is invalid';
}
