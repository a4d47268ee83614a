import { readFile } from 'node:fs/promises';
import { AppError } from '@herald/core';

/** The fields of `<data dir>/local.json` the CLI uses as defaults; the running stack writes it. */
export interface LocalInfo {
  apiUrl?: string;
  region?: string;
  dynamodbEndpoint?: string;
  sqsEndpoint?: string;
  tableName?: string;
  audienceTableName?: string;
  keysDir?: string;
  tokenIssuer?: string;
  tokenAudience?: string;
  queueUrl?: string;
  dlqUrl?: string;
}

const FIELDS = [
  'apiUrl',
  'region',
  'dynamodbEndpoint',
  'sqsEndpoint',
  'tableName',
  'audienceTableName',
  'keysDir',
  'tokenIssuer',
  'tokenAudience',
  'queueUrl',
  'dlqUrl',
] as const satisfies readonly (keyof LocalInfo)[];

/**
 * Reads `path` if it exists. `undefined` means no local stack is running. Throws AppError
 * `CONFIG_INVALID` when the file exists but is not JSON or a field is not a string.
 */
export async function readLocalInfo(path: string): Promise<LocalInfo | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('CONFIG_INVALID', `cannot read ${path}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new AppError('CONFIG_INVALID', `${path} is not valid JSON`, { cause });
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw new AppError('CONFIG_INVALID', `${path} is not a JSON object`);
  }
  const record = parsed as Record<string, unknown>;
  const info: LocalInfo = {};
  for (const field of FIELDS) {
    const value = record[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      throw new AppError('CONFIG_INVALID', `${path}: "${field}" must be a string`);
    }
    info[field] = value;
  }
  return info;
}
