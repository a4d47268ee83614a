import { parseArgs } from 'node:util';
import {
  MAX_TTL_SECONDS,
  SCOPES,
  assertClientId,
  issueToken,
  loadPrivateJwk,
  parseScopes,
  parseTtl,
} from '@herald/auth';
import type { PrivateSigningJwk } from '@herald/auth';
import { AppError, isAppError } from '@herald/core';
import { noPositionals, onePositional, parseOrUsage, pickSubcommand, UsageError } from '../args';
import type { Command, CommandContext } from '../context';

const ISSUE_OPTIONS = {
  client: { type: 'string' },
  scope: { type: 'string' },
  ttl: { type: 'string', default: '30d' },
  json: { type: 'boolean', default: false },
} as const;

const JTI_PATTERN = /^[\x21-\x7e]{1,256}$/;

/** `herald token issue|revoke`: mints client tokens and revokes them by jti. */
export const tokenCommand: Command = ([sub, ...rest], ctx) =>
  pickSubcommand('token', SUBCOMMANDS, sub)(rest, ctx);

async function issue(args: string[], ctx: CommandContext): Promise<void> {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({ args, options: ISSUE_OPTIONS, allowPositionals: true, strict: true }),
  );
  noPositionals(positionals);
  const clientId = values.client;
  if (clientId === undefined) throw new UsageError('token issue needs --client <id>');
  parseOrUsage(() => assertClientId(clientId));
  const { scope } = values;
  const scopes = scope === undefined ? [...SCOPES] : parseOrUsage(() => parseScopes(scope));
  const ttlSeconds = parseOrUsage(() => parseTtl(values.ttl));

  const issued = await issueToken({
    privateJwk: await loadSigningKey(ctx),
    clientId,
    scopes,
    ttlSeconds,
    issuer: ctx.config.tokenIssuer,
    audience: ctx.config.tokenAudience,
    now: ctx.services.now(),
  });
  if (!values.json) {
    ctx.io.out(issued.token);
    return;
  }
  const expiresAt = new Date(issued.expiresAt * 1000).toISOString();
  const result = { token: issued.token, jti: issued.jti, clientId, scopes, expiresAt };
  ctx.io.out(JSON.stringify(result, null, 2));
}

async function loadSigningKey(ctx: CommandContext): Promise<PrivateSigningJwk> {
  try {
    return await loadPrivateJwk(ctx.config.signingKey);
  } catch (err) {
    if (!isAppError(err) || err.code !== 'CONFIG_INVALID') throw err;
    throw new AppError(
      'CONFIG_INVALID',
      `${err.message}; create a key with 'herald keys generate' or set HERALD_SIGNING_KEY`,
      { cause: err },
    );
  }
}

async function revoke(args: string[], ctx: CommandContext): Promise<void> {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args,
      options: { until: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  const jti = onePositional(positionals, 'jti');
  if (!JTI_PATTERN.test(jti)) throw new UsageError('<jti> must be 1-256 printable characters');
  const now = ctx.services.now();
  const until = values.until === undefined ? maxTokenExpiry(now) : parseUntil(values.until, now);

  const handle = ctx.services.openRevocationStore(ctx.config.aws);
  try {
    await handle.store.revoke(jti, until.toISOString());
  } catch (err) {
    const { aws } = ctx.config;
    const where = aws.dynamodbEndpoint ?? `AWS region ${aws.region}`;
    const message = err instanceof Error ? err.message : String(err);
    throw new AppError(
      'UNAVAILABLE',
      `cannot write the revocation (${where}, table ${aws.tableName}): ${message}`,
      {
        cause: err,
      },
    );
  } finally {
    handle.close();
  }
  ctx.io.out(`revoked ${jti}`);
}

/** No token outlives this, so a revocation lasting until then covers any token with this jti. */
function maxTokenExpiry(now: Date): Date {
  return new Date(now.getTime() + MAX_TTL_SECONDS * 1000);
}

function parseUntil(value: string, now: Date): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) {
    throw new UsageError(
      `--until '${value}' is not a date-time (use ISO 8601, e.g. 2027-01-31T00:00:00Z)`,
    );
  }
  if (at.getTime() <= now.getTime()) throw new UsageError('--until is in the past');
  return at;
}

const SUBCOMMANDS: ReadonlyMap<string, Command> = new Map([
  ['issue', issue],
  ['revoke', revoke],
]);
