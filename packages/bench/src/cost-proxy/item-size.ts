/** The size of a DynamoDB item by AWS's rules, which decides what a read or a write costs. */
import { arrayOr, isObject } from './json';

/**
 * Size of an item in DynamoDB JSON (`{ attr: { S: '…' } }`) by the DynamoDB docs' rules: the
 * UTF-8 bytes of each attribute name plus the size of its value.
 */
export function itemSize(item: Readonly<Record<string, unknown>>): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + utf8(name) + valueSize(value),
    0,
  );
}

function valueSize(value: unknown): number {
  const [type, v] = (isObject(value) ? Object.entries(value)[0] : undefined) ?? [];
  switch (type ?? '') {
    case 'S':
      return utf8(v);
    case 'N':
      return numberSize(v);
    case 'B':
      return binarySize(v);
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return arrayOr(v).reduce((sum: number, s) => sum + utf8(s), 0);
    case 'NS':
      return arrayOr(v).reduce((sum: number, n) => sum + numberSize(n), 0);
    case 'BS':
      return arrayOr(v).reduce((sum: number, b) => sum + binarySize(b), 0);
    case 'L':
      // 3 bytes for the list, 1 per element.
      return 3 + arrayOr(v).reduce((sum: number, element) => sum + 1 + valueSize(element), 0);
    case 'M':
      // 3 bytes for the map, 1 per element, plus the element's name.
      return (
        3 +
        Object.entries(isObject(v) ? v : {}).reduce(
          (s, [k, e]) => s + 1 + utf8(k) + valueSize(e),
          0,
        )
      );
    default:
      return 0;
  }
}

function utf8(text: unknown): number {
  return Buffer.byteLength(String(text), 'utf8');
}

/** Approximately 1 byte per two significant digits, plus 1 (leading/trailing zeros trimmed). */
function numberSize(text: unknown): number {
  const mantissa = String(text).trim().replace(/^[+-]/, '').split(/e/i)[0] ?? '';
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(digits.length / 2) + 1;
}

function binarySize(base64: unknown): number {
  return Buffer.from(String(base64), 'base64').length;
}
