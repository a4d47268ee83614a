import { itemSize } from './item-size';

describe('itemSize', () => {
  test('sums UTF-8 name bytes and value sizes', () => {
    expect(itemSize({ pk: { S: 'abc' } })).toBe(2 + 3);
    expect(itemSize({ name: { S: 'é' } })).toBe(4 + 2);
    expect(itemSize({ flag: { BOOL: true }, gone: { NULL: true } })).toBe(5 + 5);
    expect(itemSize({ bin: { B: Buffer.from('hello').toString('base64') } })).toBe(3 + 5);
  });

  test('numbers take one byte per two significant digits plus one', () => {
    expect(itemSize({ n: { N: '123' } })).toBe(1 + 3);
    expect(itemSize({ n: { N: '100' } })).toBe(1 + 2);
    expect(itemSize({ n: { N: '-0.0012' } })).toBe(1 + 2);
    expect(itemSize({ n: { N: '0' } })).toBe(1 + 1);
  });

  test('lists and maps add 3 bytes plus 1 per element; map keys count', () => {
    expect(itemSize({ l: { L: [{ N: '1' }, { S: 'é' }] } })).toBe(1 + 3 + (1 + 2) + (1 + 2));
    expect(itemSize({ m: { M: { a: { S: 'xy' } } } })).toBe(1 + 3 + (1 + 1 + 2));
    expect(itemSize({ ss: { SS: ['a', 'bc'] } })).toBe(2 + 3);
  });
});
