import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { configReferenceRows, renderConfigReference } from './config-reference';
import { CONFIG_REFERENCE_COMMAND, readConfigReferenceSection } from './readme-section';

describe('the configuration reference', () => {
  it('is what README.md shows under Configuration', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');

    const shown = readConfigReferenceSection(readme);

    const verdict =
      shown === renderConfigReference()
        ? 'in sync'
        : `README.md's configuration table differs from the schemas in packages/config: run \`${CONFIG_REFERENCE_COMMAND}\` to regenerate it`;
    expect(verdict).toBe('in sync');
  });

  it('lists a variable read alike by several deployables once, naming them all', () => {
    const rows = configReferenceRows().filter((row) => row.variable === 'HERALD_QUEUE_URL');

    expect(rows).toEqual([
      {
        variable: 'HERALD_QUEUE_URL',
        usedBy: ['api', 'worker', 'cli'],
        type: 'URL',
        default: '—',
        description: 'the work queue; wins over HERALD_QUEUE_NAME',
      },
    ]);
  });

  it('shows types, defaults, required variables and renamed ones', () => {
    const schema = z.object({
      B_PORT: z.coerce.number().int().min(0).max(65_535).default(3000).describe('a port'),
      A_KEY: z.string().min(1).describe('a | key'),
      HERALD_WORKER_CONCURRENCY: z.coerce.number().int().min(1).optional().describe('n'),
      C_FLAG: z.enum(['true', 'false']).default('false').describe('a flag'),
    });

    const rows = configReferenceRows([{ name: 'api', schema }]);

    expect(rows.map((row) => [row.variable, row.type, row.default, row.description])).toEqual([
      ['A_KEY', 'string', 'required', 'a | key'],
      ['B_PORT', 'integer 0–65535', '`3000`', 'a port'],
      ['C_FLAG', '`true`, `false`', '`false`', 'a flag'],
      [
        'HERALD_WORKER_CONCURRENCY',
        'integer ≥ 1',
        '—',
        'n (was `WORKER_CONCURRENCY`, still read with a warning)',
      ],
    ]);
    expect(renderConfigReference(rows).split('\n')).toEqual([
      '| variable                    | used by | type            | default  | description                                             |',
      '| --------------------------- | ------- | --------------- | -------- | ------------------------------------------------------- |',
      '| `A_KEY`                     | api     | string          | required | a \\| key                                                |',
      '| `B_PORT`                    | api     | integer 0–65535 | `3000`   | a port                                                  |',
      '| `C_FLAG`                    | api     | `true`, `false` | `false`  | a flag                                                  |',
      '| `HERALD_WORKER_CONCURRENCY` | api     | integer ≥ 1     | —        | n (was `WORKER_CONCURRENCY`, still read with a warning) |',
    ]);
  });
});
