import { z } from 'zod';
import { DEPLOYABLES, type Deployable } from './deployables';
import { RENAMED_ENV } from './renamed-env';

/** One row of the configuration reference: a variable as one or more deployables read it. */
export interface ReferenceRow {
  variable: string;
  usedBy: string[];
  type: string;
  /** `` `value` ``, `required`, or `—` (optional, no default). */
  default: string;
  description: string;
}

/**
 * Every variable of every deployable, from their schemas: name, type, default and description.
 * A variable several deployables read with the same definition is one row listing them all;
 * differing definitions of one name are separate rows. Sorted by name; stable otherwise.
 */
export function configReferenceRows(
  deployables: readonly Deployable[] = DEPLOYABLES,
): ReferenceRow[] {
  const rows = new Map<string, ReferenceRow>();
  for (const { name, schema } of deployables) {
    for (const [variable, field] of Object.entries(schema.shape)) {
      const row = describeField(variable, field as z.ZodType);
      const key = JSON.stringify([row.variable, row.type, row.default, row.description]);
      const existing = rows.get(key);
      if (existing) existing.usedBy.push(name);
      else rows.set(key, { ...row, usedBy: [name] });
    }
  }
  // By name, so that a variable read differently by two deployables shows its rows together.
  return [...rows.values()].sort((a, b) =>
    a.variable < b.variable ? -1 : a.variable > b.variable ? 1 : 0,
  );
}

/** The reference as a markdown table, aligned the way prettier aligns it (the README holds it). */
export function renderConfigReference(
  rows: readonly ReferenceRow[] = configReferenceRows(),
): string {
  const header = ['variable', 'used by', 'type', 'default', 'description'];
  const cells = rows.map((row) =>
    [`\`${row.variable}\``, row.usedBy.join(', '), row.type, row.default, row.description].map(
      (cell) => cell.replaceAll('|', '\\|'),
    ),
  );
  const widths = header.map((title, column) =>
    Math.max(3, title.length, ...cells.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

interface JsonSchemaField {
  type?: string;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

function describeField(variable: string, field: z.ZodType): Omit<ReferenceRow, 'usedBy'> {
  const json = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as JsonSchemaField;
  const renamedFrom = Object.entries(RENAMED_ENV)
    .filter(([, newName]) => newName === variable)
    .map(([oldName]) => ` (was \`${oldName}\`, still read with a warning)`)
    .join('');
  return {
    variable,
    type: typeOf(json),
    default: defaultOf(json, field),
    description: `${field.description ?? ''}${renamedFrom}`,
  };
}

function typeOf(json: JsonSchemaField): string {
  if (json.enum) return json.enum.map((value) => `\`${String(value)}\``).join(', ');
  if (json.type === 'integer') {
    const min = json.minimum ?? Number.MIN_SAFE_INTEGER;
    const max = json.maximum ?? Number.MAX_SAFE_INTEGER;
    if (max < Number.MAX_SAFE_INTEGER) return `integer ${min}–${max}`;
    return min > Number.MIN_SAFE_INTEGER ? `integer ≥ ${min}` : 'integer';
  }
  if (json.format === 'uri') return 'URL';
  if (json.format === 'email') return 'email address';
  return json.type ?? 'string';
}

function defaultOf(json: JsonSchemaField, field: z.ZodType): string {
  if (typeof json.default === 'string') return `\`${json.default}\``;
  if (json.default !== undefined) return `\`${JSON.stringify(json.default)}\``;
  return field.safeParse(undefined).success ? '—' : 'required';
}
