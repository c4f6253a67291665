import { describe, expect, it } from 'vitest';
import { simulatedProfile } from './history';

describe('the simulated history', () => {
  it('is nothing when no row is filled and no device named', () => {
    expect(simulatedProfile([{ name: ' ', ago: '2h', value: '' }], ' , ')).toBeNull();
  });
  it('keeps named rows, with their value as a number and ago defaulting to now', () => {
    expect(simulatedProfile([
      { name: 'product_view', ago: '2h', value: '' },
      { name: '', ago: '1h', value: '5' },
      { name: ' purchase ', ago: '', value: '250.5' },
    ], 'tablet, phone')).toEqual({
      events: [{ name: 'product_view', ago: '2h' }, { name: 'purchase', ago: '0s', value: 250.5 }],
      devices: ['tablet', 'phone'],
    });
  });
  it('passes a value that is not a number on as NaN for the server to refuse', () => {
    expect(simulatedProfile([{ name: 'purchase', ago: '1h', value: 'lots' }], '')!.events[0].value).toBeNaN();
  });
});
