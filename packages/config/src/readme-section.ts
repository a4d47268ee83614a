import { AppError } from '@herald/core';

/** The comments around the generated configuration table in README.md. */
export const CONFIG_REFERENCE_START = '<!-- config-reference:start -->';
export const CONFIG_REFERENCE_END = '<!-- config-reference:end -->';

/** The command that rewrites the README's configuration table from the schemas. */
export const CONFIG_REFERENCE_COMMAND = 'pnpm config:reference';

/**
 * What stands between the two markers, without the blank lines around it. Throws AppError
 * `CONFIG_INVALID` when the markers are missing or out of order.
 */
export function readConfigReferenceSection(readme: string): string {
  const { start, end } = markers(readme);
  return readme.slice(start + CONFIG_REFERENCE_START.length, end).trim();
}

/** `readme` with the text between the markers replaced by `table` (blank lines around it). */
export function writeConfigReferenceSection(readme: string, table: string): string {
  const { start, end } = markers(readme);
  return `${readme.slice(0, start + CONFIG_REFERENCE_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}

function markers(readme: string): { start: number; end: number } {
  const start = readme.indexOf(CONFIG_REFERENCE_START);
  const end = readme.indexOf(CONFIG_REFERENCE_END);
  if (start < 0 || end < start) {
    throw new AppError(
      'CONFIG_INVALID',
      `README.md has no ${CONFIG_REFERENCE_START} … ${CONFIG_REFERENCE_END} section`,
    );
  }
  return { start, end };
}
