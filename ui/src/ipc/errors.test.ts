import { describe, expect, it } from 'vitest';
import { coreErrorText } from './errors';

describe('coreErrorText', () => {
  it('puts the kind of refusal in the operator language before the core detail', () => {
    const e = { kind: 'unit_unavailable', message: "unit 'dh_traffic_01' is busy: on scene" };
    expect(coreErrorText('zh-CN', e)).toBe("警力不可用：unit 'dh_traffic_01' is busy: on scene");
    expect(coreErrorText('en', e)).toBe("Unit not available: unit 'dh_traffic_01' is busy: on scene");
  });
  it('says a unit another seat took is taken, with who took it from the core', () => {
    const e = { kind: 'unit_taken', message: "unit 'p1' was taken by op.a for incident 1" };
    expect(coreErrorText('zh-CN', e)).toBe("警力已被他人调派：unit 'p1' was taken by op.a for incident 1");
    expect(coreErrorText('en', e)).toBe("Unit already taken by another seat: unit 'p1' was taken by op.a for incident 1");
  });
  it('says the command centre is out of reach, with since when from the desk', () => {
    const e = { kind: 'service_unavailable', message: 'lost the command centre at https://cc:8640 since 08:01:02' };
    expect(coreErrorText('zh-CN', e)).toBe('指挥中心不可用：lost the command centre at https://cc:8640 since 08:01:02');
    expect(coreErrorText('en', e)).toBe('Command centre unavailable: lost the command centre at https://cc:8640 since 08:01:02');
  });
  it('words whole the errors it has every parameter for', () => {
    expect(coreErrorText('zh-CN', { kind: 'session_expired', message: 'x', minutes: 15 })).toContain('15');
    expect(coreErrorText('zh-CN', { kind: 'session_expired', message: 'x', minutes: 15 })).not.toContain('x');
    expect(coreErrorText('zh-CN', { kind: 'not_signed_in', message: 'nobody is signed in' })).toBe('请先登录');
  });
  it('keeps the core wording for a kind it does not know, and anything else as text', () => {
    expect(coreErrorText('zh-CN', { kind: 'brand_new', message: 'something new' })).toBe('something new');
    expect(coreErrorText('zh-CN', 'plain')).toBe('plain');
  });
});
