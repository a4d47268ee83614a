import { AppError } from '@herald/core';
import { cursorToStartKey, encodeCursor } from './list-cursor';

describe('list cursor', () => {
  it('round-trips a position and takes the client id from the caller', () => {
    const cursor = encodeCursor({ pk: 'N#ntf_1', createdKey: '2026-01-01T00:00:00.000Z#ntf_1' });

    expect(cursorToStartKey(cursor, 'caller')).toEqual({
      pk: 'N#ntf_1',
      clientId: 'caller',
      createdKey: '2026-01-01T00:00:00.000Z#ntf_1',
    });
  });

  it('ignores a client id smuggled into the cursor', () => {
    const forged = Buffer.from(
      JSON.stringify({ pk: 'N#ntf_1', createdKey: 'k', clientId: 'victim' }),
    ).toString('base64url');

    expect(cursorToStartKey(forged, 'caller').clientId).toBe('caller');
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON that is not an object', Buffer.from('42').toString('base64url')],
    ['a missing createdKey', Buffer.from('{"pk":"N#x"}').toString('base64url')],
    ['a key of another item type', encodeCursor({ pk: 'REVOKED#x', createdKey: 'k' })],
    ['an empty id', encodeCursor({ pk: 'N#', createdKey: 'k' })],
    ['an empty createdKey', encodeCursor({ pk: 'N#x', createdKey: '' })],
    ['an oversized key', encodeCursor({ pk: `N#${'x'.repeat(400)}`, createdKey: 'k' })],
  ])('rejects %s as VALIDATION_FAILED', (_, cursor) => {
    const thrown = catchError(() => cursorToStartKey(cursor, 'caller'));

    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'VALIDATION_FAILED', message: 'cursor is invalid' });
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}
