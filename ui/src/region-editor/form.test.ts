import { describe, expect, it } from 'vitest';
import type { EditProblem } from '../ipc/types';
import { place } from './fixtures';
import { generalProblems, matches, placeEdits, problemsFor, roundCoordinate } from './form';


describe('region editor form logic', () => {
  it('turns a draft into the edits that changed, move before rename', () => {
    expect(placeEdits(place, { lon: 122.125, lat: 30.018, name_zh: '城东街道', name_en: 'Chengdong Subdistrict' })).toEqual([]);
    expect(placeEdits(place, { lon: 122.12, lat: 30.018, name_zh: '城东', name_en: 'Chengdong Subdistrict' })).toEqual([
      { kind: 'move_place', place: 'chengdong', lon: 122.12, lat: 30.018 },
      { kind: 'rename_place', place: 'chengdong', name_zh: '城东', name_en: 'Chengdong Subdistrict' },
    ]);
  });

  it('places problems on their field and departure, the rest on the form', () => {
    const problems: EditProblem[] = [
      { field: 'depart', index: 1, message: 'bad', at: 'sailings.csv:9' },
      { field: 'lon', index: null, message: 'in the sea', at: 'places.csv:4' },
      { field: null, index: null, message: 'road graph', at: 'roads.csv' },
    ];
    expect(problemsFor(problems, 'depart', 1).map((p) => p.message)).toEqual(['bad']);
    expect(problemsFor(problems, 'depart', 0)).toEqual([]);
    expect(problemsFor(problems, ['lon', 'lat']).map((p) => p.at)).toEqual(['places.csv:4']);
    expect(generalProblems(problems).map((p) => p.message)).toEqual(['road graph']);
  });

  it('rounds map clicks and searches ids and both names', () => {
    expect(roundCoordinate(122.1234567)).toBe(122.12346);
    expect(matches(place, 'CHENG')).toBe(true);
    expect(matches(place, '城东')).toBe(true);
    expect(matches(place, 'panzhi')).toBe(false);
    expect(matches(place, '  ')).toBe(true);
  });
});
