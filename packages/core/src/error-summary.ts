import { AppError } from './errors';

/**
 * What a log line may carry of a caught error: its name, message and (for an AppError) code.
 * Never the cause chain, stack or extra fields, which can hold request data or credentials.
 */
export function errorSummary(err: unknown): { name: string; message: string; code?: string } {
  if (err instanceof AppError) return { name: err.name, message: err.message, code: err.code };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Unknown', message: String(err) };
}
