import { describe, expect, it } from 'vitest';
import type { EditProblem } from '../ipc/types';
import { place } from './fixtures';
import { generalProblems, matches, placeEdits, problemsFor, problemText, roundCoordinate } from './form';


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
      { field: 'depart', index: 1, message: 'bad', at: 'sailings.csv:9', kind: null, params: {} },
      { field: 'lon', index: null, message: 'in the sea', at: 'places.csv:4', kind: null, params: {} },
      { field: null, index: null, message: 'road graph', at: 'roads.csv', kind: null, params: {} },
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

  it('words the kinds of problem the core names in both languages, else leaves the message', () => {
    const names = { island: (id: string) => ({ zhoushan: '舟山岛' })[id] ?? id, place: (id: string) => ({ a: '甲', b: '乙', c: '丙' })[id] ?? id };
    const p = (kind: EditProblem['kind'], params: EditProblem['params'] = {}): EditProblem => ({
      field: 'lon',
      index: null,
      message: 'raw',
      at: 'places.csv:4',
      kind,
      params,
    });
    const sea = p('off_island', { place: 'chengdong', island: 'zhoushan', distance_m: 8248, tolerance_m: 500 });
    expect(problemText('zh-CN', sea, names)).toBe('该位置在海上：距所属岛屿舟山岛 8248 米，超出允许的 500 米');
    expect(problemText('en', sea, names)).toBe('This spot is in the sea: 8248 m off its island, 舟山岛 (at most 500 m allowed)');
    expect(problemText('zh-CN', p('not_hhmm', { value: '7:5' }), names)).toBe('开航时间“7:5”不是 HH:MM 格式');
    expect(problemText('en', p('listed_twice', { value: '06:00' }), names)).toBe('Departure 06:00 is listed twice');
    expect(problemText('zh-CN', p('outside_bounds', { value: '31.9' }), names)).toBe('坐标 31.9 超出本区域范围');
    expect(problemText('zh-CN', p('name_empty'), names)).toBe('中文名称不能为空');
    expect(problemText('en', p('reason_missing'), names)).toBe('Say why it is closed');
    expect(problemText('en', p('not_a_number'), names)).toBe('The coordinates are not numbers');
    const cut = p('roads_disconnected', { island: 'zhoushan', place: 'a', places: ['b', 'c'] });
    expect(problemText('zh-CN', cut, names)).toBe('舟山岛的道路不再连通：没有道路连接 甲 与 乙、丙');
    // Unknown to the UI, or a parameter missing: the core's message stands.
    expect(problemText('zh-CN', p(null), names)).toBeUndefined();
    expect(problemText('zh-CN', p('off_island', { island: 'zhoushan' }), names)).toBeUndefined();
  });
});
