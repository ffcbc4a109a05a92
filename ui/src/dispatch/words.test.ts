import { describe, expect, it } from 'vitest';
import type { JournalEvent, Warning, WarningKind } from '../ipc/types';
import { closedByText, eventText, rosterRuleText, simModelText, warningText, zonedTime } from './words';

const islands: Record<string, string> = { changbai: '长白岛' };
const wnames = { island: (id: string) => islands[id] ?? id };
const enames = {
  unit: (id: string) => ({ dh_traffic_01: '定海交巡01', changbai_post: '长白警务站' })[id] ?? id,
  incidentType: (id: string) => ({ fight: '打架斗殴' })[id] ?? id,
};

describe('warningText', () => {
  it('words each kind from its parameters, in both languages', () => {
    const over: Warning = {
      kind: 'over_target',
      unit: 'u',
      message: 'eta 40 min is over the p1 ferry target of 30 min',
      params: { eta_min: 40, target_min: 30, priority: 1, route_mode: 'ferry' },
    };
    expect(warningText('zh-CN', over, wnames)).toBe('预计 40 分钟，超过 P1（经渡轮）目标 30 分钟');
    expect(warningText('en', over, wnames)).toBe('ETA 40 min is over the P1 target (via a ferry) of 30 min');
    const last: Warning = {
      kind: 'last_unit_on_island',
      message: 'x',
      params: { call_sign: '长白警务站', island: 'changbai' },
    };
    expect(warningText('zh-CN', last, wnames)).toBe('长白警务站 是长白岛最后一支空闲警力，同时到达时排在其他警力之后');
    const back: Warning = {
      kind: 'no_return_before_last_sailing',
      message: 'x',
      params: { call_sign: 'B', cleared_at: '21:10', back_at: '07-02 07:30' },
    };
    expect(warningText('en', back, wnames)).toBe('B clears about 21:10 and is back only after the last sailing (07-02 07:30)');
    const never: Warning = { kind: 'no_return_before_last_sailing', message: 'x', params: { call_sign: 'B', cleared_at: '21:10' } };
    expect(warningText('en', never, wnames)).toContain('no return crossing');
    expect(warningText('zh-CN', { kind: 'no_unit_reaches', message: 'x', params: {} }, wnames)).toBe(
      '当前条件下没有可派警艇能到达该点',
    );
  });

  it('says when the boat carrying a crew is free at its base, and whether the crew has a sailing back (#16)', () => {
    const params = { call_sign: '环南巡逻01', carrier: '定海警艇01', cleared_at: '03:12', back_at: '10-14 03:44' };
    const late: Warning = { kind: 'carried_return', message: 'x', params: { ...params, sailing_at: '10-14 09:40' } };
    expect(warningText('zh-CN', late, wnames)).toBe(
      '定海警艇01 须接回 环南巡逻01：约 03:12 处置完毕，警艇约 10-14 03:44 回到基地空闲；自行返程最早 10-14 09:40',
    );
    const own: Warning = { kind: 'carried_return', message: 'x', params: { ...params, sailing_at: '10-14 11:40', own_way: true } };
    expect(warningText('en', own, wnames)).toBe(
      '定海警艇01 sails home after landing 环南巡逻01, boat free at base ~10-14 03:44; 环南巡逻01 clears about 03:12 and comes back its own way 10-14 11:40',
    );
    const none: Warning = { kind: 'carried_return', message: 'x', params };
    expect(warningText('en', none, wnames)).toBe(
      '定海警艇01 must bring 环南巡逻01 back: clearing about 03:12, boat free at base ~10-14 03:44; no sailing back in the next days',
    );
    // Without the boat's name the core's own message is shown.
    expect(warningText('en', { kind: 'carried_return', message: 'core', params: { call_sign: 'x' } }, wnames)).toBe('core');
  });

  it("falls back to the core's message for an unknown kind or a missing parameter", () => {
    expect(warningText('zh-CN', { kind: 'new_kind' as WarningKind, message: 'core says so', params: {} }, wnames)).toBe('core says so');
    expect(warningText('zh-CN', { kind: 'at_sea', message: 'at sea 200 m', params: { island: 'changbai' } }, wnames)).toBe(
      'at sea 200 m',
    );
  });
});

describe('closedByText', () => {
  it('says why a link is closed', () => {
    expect(closedByText('en', { by: 'wind', force: 9, limit: 8 })).toBe('wind force 9 (limit 8)');
    expect(closedByText('zh-CN', { by: 'hand' })).toBe('人工封闭');
    expect(closedByText('en', { by: 'visibility', visibility_m: 300, limit_m: 500 })).toBe('visibility 300 m (limit 500 m)');
  });
});

describe('eventText and zonedTime', () => {
  const ev = (body: JournalEvent['body']): JournalEvent => ({
    seq: 1,
    incident_id: 1,
    at_utc: 0,
    recorded_utc: 0,
    operator: 'wang',
    body,
  });

  it('puts every incident event in words', () => {
    expect(eventText('zh-CN', ev({ kind: 'received', incident_type: 'fight', priority: 1, text: '' }), enames)).toBe(
      '接警：打架斗殴 P1',
    );
    expect(
      eventText(
        'en',
        ev({
          kind: 'dispatched',
          unit: 'changbai_post',
          plan: { eta_s: 600, recommended_unit: 'dh_traffic_01' },
          override_reason: 'closer crew',
        }),
        enames,
      ),
    ).toBe('Dispatched 长白警务站 (ETA 10:00, recommended 定海交巡01) · not the top unit, reason: closer crew');
    expect(eventText('en', ev({ kind: 'unit_withdrawn', unit: 'dh_traffic_01', reason: 'broke down' }), enames)).toBe(
      '定海交巡01 withdrawn: broke down',
    );
    expect(eventText('zh-CN', ev({ kind: 'note', text: '回拨' }), enames)).toBe('备注：回拨');
    expect(eventText('en', ev({ kind: 'cancelled', reason: 'duplicate' }), enames)).toBe('Cancelled: duplicate');
    expect(eventText('en', ev({ kind: 'conditions_set' }), enames)).toBe('conditions_set');
  });

  it('says the boat carrying a crew, and a community responder called (#16)', () => {
    const carried = ev({ kind: 'dispatched', unit: 'changbai_post', carrier: 'boat_01', plan: { eta_s: 1654, recommended_unit: 'boat_01' }, override_reason: '需要陆上警力' });
    const names = { ...enames, unit: (id: string) => (id === 'boat_01' ? '定海警艇01' : enames.unit(id)) };
    expect(eventText('zh-CN', carried, names)).toBe('派遣 长白警务站（预计 27:34，推荐 定海警艇01），由定海警艇01运送 · 未派首选，理由：需要陆上警力');
    expect(eventText('en', ev({ kind: 'responder_called', responder: 'cr_damao_01', name: '大猫岛村综治干部', phone: '0580-0000101' }), enames)).toBe(
      'Called community responder 大猫岛村综治干部 (0580-0000101)',
    );
  });

  it('shows times in the region zone, not the machine zone', () => {
    // 2026-07-01 02:00:05 UTC is 10:00:05 in Shanghai.
    const t = Date.UTC(2026, 6, 1, 2, 0, 5) / 1000;
    expect(zonedTime(t, 'Asia/Shanghai')).toBe('10:00:05');
    expect(zonedTime(t, 'Asia/Shanghai', true)).toBe('07-01 10:00:05');
  });
});

describe('simModelText and rosterRuleText', () => {
  it('word the what-if model and a broken roster rule in the operator language', () => {
    const report = { model: 'fastest free on-duty unit from its base', model_kind: 'fastest_free_from_base' };
    expect(simModelText('zh-CN', report)).toContain('最快到达的空闲在岗警力');
    expect(simModelText('en', report)).toContain('fastest free on-duty unit from its base');
    expect(simModelText('zh-CN', { model: 'a newer model', model_kind: 'not_known_here' })).toBe('a newer model');
    expect(rosterRuleText('zh-CN', 'rest')).toBe('休息间隔不足');
    expect(rosterRuleText('en', 'rest')).toBe('rest between shifts');
    expect(rosterRuleText('zh-CN', 'a_new_rule')).toBe('a_new_rule');
  });
});
