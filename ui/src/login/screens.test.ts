import { describe, expect, it } from 'vitest';
import { screensFor } from './screens';

describe('screensFor', () => {
  it('gives each role its own screens, main one first', () => {
    expect(screensFor('dispatcher')).toEqual(['dispatch']);
    expect(screensFor('patrol_leader')).toEqual(['leader', 'dispatch']);
    expect(screensFor('supervisor')).toEqual(['supervisor', 'dispatch']);
    expect(screensFor('administrator')).toEqual(['accounts', 'region']);
  });

  it('gives nothing to nobody or an unknown role', () => {
    expect(screensFor(undefined)).toEqual([]);
    expect(screensFor('janitor')).toEqual([]);
    expect(screensFor('toString')).toEqual([]);
  });
});
