import { canTransition, isFinal } from './status-rules';

describe('status rules', () => {
  it('moves only forward from Pending', () => {
    expect(canTransition('Pending', 'Delivered')).toBe(true);
    expect(canTransition('Pending', 'Refused')).toBe(true);
    expect(canTransition('Delivered', 'Refused')).toBe(false);
    expect(canTransition('Refused', 'Delivered')).toBe(false);
    expect(canTransition('Delivered', 'Pending')).toBe(false);
  });

  it('treats Delivered and Refused as final', () => {
    expect(isFinal('Pending')).toBe(false);
    expect(isFinal('Delivered')).toBe(true);
    expect(isFinal('Refused')).toBe(true);
  });
});
