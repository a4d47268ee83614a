import { AppError } from './errors';
import { errorSummary } from './error-summary';

describe('errorSummary', () => {
  it('keeps the code of an AppError', () => {
    const err = new AppError('UNAVAILABLE', 'store down');

    expect(errorSummary(err)).toEqual({
      name: err.name,
      message: 'store down',
      code: 'UNAVAILABLE',
    });
  });

  it('keeps name and message of any Error, and nothing else', () => {
    const err = Object.assign(new TypeError('bad'), { secret: 'token' });

    expect(errorSummary(err)).toEqual({ name: 'TypeError', message: 'bad' });
  });

  it('stringifies a thrown non-Error', () => {
    expect(errorSummary('boom')).toEqual({ name: 'Unknown', message: 'boom' });
  });
});
