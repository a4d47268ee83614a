import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProviderError } from './errors';
import type { RefusalReason } from './notification';
import {
  FINAL_REFUSAL_CODES,
  REFUSAL_CODES,
  TRANSIENT_REFUSAL_CODES,
  isRefusalCode,
} from './refusal-code';

describe('RefusalCode', () => {
  it('is a closed list: a typo in a refusal code fails to compile', () => {
    // Checked by `tsc -p tsconfig.check.json`: each line below must be a type error.
    // @ts-expect-error not a refusal code
    const reason: RefusalReason = { code: 'recipient_rejectd', message: 'typo' };
    // @ts-expect-error not a refusal code
    const error = new ProviderError('smtp', false, 'typo', { reasonCode: 'provider_rejectd' });
    expect(isRefusalCode(reason.code)).toBe(false);
    expect(isRefusalCode(error.reasonCode)).toBe(false);
  });

  it('lists every code once, final ones among them', () => {
    expect(new Set(REFUSAL_CODES).size).toBe(REFUSAL_CODES.length);
    for (const code of FINAL_REFUSAL_CODES) expect(REFUSAL_CODES).toContain(code);
    expect(isRefusalCode('retries_exhausted')).toBe(true);
    expect(isRefusalCode('provider_timeout')).toBe(true);
  });

  it("is the README's reason-code table, with each code's kind", () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const rows = readme.split('\n').filter((line) => /^\| `[a-z_]+`/.test(line));
    const kinds = new Map<string, string>();
    for (const row of rows) {
      const [codes = '', kind = ''] = row
        .split('|')
        .slice(1)
        .map((cell) => cell.trim());
      for (const [, code = ''] of codes.matchAll(/`([a-z_]+)`/g)) kinds.set(code, kind);
    }
    const listed = (kind: string) => [...kinds].filter(([, k]) => k === kind).map(([c]) => c);

    expect(listed('final').sort()).toEqual([...FINAL_REFUSAL_CODES].sort());
    expect(listed('transient').sort()).toEqual([...TRANSIENT_REFUSAL_CODES].sort());
  });
});
