import { fireEvent, render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../i18n/index.svelte';
import type { Candidate } from '../ipc/types';
import CandidateRow from './CandidateRow.svelte';

const candidate: Candidate = {
  unit: 'changbai_post',
  call_sign: '长白警务站',
  kind: 'post',
  island: 'changbai',
  eta_s: 1520,
  route_mode: 'ferry',
  target_s: 1200,
  legs: [
    { mode: 'wait', from: 'pier_a', to: 'pier_a', start: '2026-07-01T08:20:00+08:00', seconds: 600, route: 'f', path: [] },
    { mode: 'ferry', from: 'pier_a', to: 'pier_b', start: '2026-07-01T08:30:00+08:00', seconds: 900, route: 'f', path: [] },
    { mode: 'drive', from: 'pier_b', to: 'incident', start: '2026-07-01T08:45:00+08:00', seconds: 20, path: [] },
  ],
  warnings: [
    {
      kind: 'over_target',
      message: 'ETA 25 min is over the 20 min target',
      params: { eta_min: 25, target_min: 20, priority: 2, route_mode: 'ferry' },
    },
  ],
  from: { basis: 'gps', place: 'post_changbai', place_zh: '长白警务站', place_en: 'Changbai Police Post', afloat: false, fix: { lon: 122.04, lat: 30.18, fix_utc: 0, source: 'osmand', age_s: 40 } },
};
const names: Record<string, string> = { pier_a: '长白码头', pier_b: '定海码头', incident: '现场' };
const placeName = (id: string) => names[id] ?? id;
const islandName = (id: string) => id;

describe('CandidateRow', () => {
  afterEach(() => i18n.set('zh-CN'));

  it('reads rank, unit, ETA, every leg in words and the warnings', () => {
    render(CandidateRow, { candidate, rank: 2, placeName, islandName, testid: 'candidate' });
    const row = screen.getByTestId('candidate');
    expect(row.dataset.unit).toBe('changbai_post');
    const text = row.textContent ?? '';
    expect(text).toContain('2');
    expect(text).toContain('长白警务站');
    expect(text).toContain('25:20');
    expect(row.querySelectorAll('.legs li')).toHaveLength(3);
    expect(text).toContain('候船 长白码头（08:30 开船）10:00');
    expect(text).toContain('渡轮 长白码头 → 定海码头（08:30）15:00');
    expect(screen.getByTestId('rec-warning').dataset.kind).toBe('over_target');
    const from = screen.getByTestId('candidate-from');
    expect(from.textContent?.trim()).toBe('GPS 40 秒前');
    expect(from.dataset.basis).toBe('gps');
  });

  it('says which estimated data the ETA stands on, and nothing when none', () => {
    i18n.set('en');
    const { unmount } = render(CandidateRow, {
      candidate: { ...candidate, estimated: ['roads', 'timetable'] },
      rank: 1,
      placeName,
      islandName,
      testid: 'candidate',
    });
    const notes = screen.getAllByTestId('rec-estimate');
    expect(notes.map((n) => n.dataset.kind)).toEqual(['roads', 'timetable']);
    expect(notes[0].textContent).toContain('estimated roads');
    expect(notes[1].textContent).toContain('estimated sailing');
    unmount();
    render(CandidateRow, { candidate, rank: 1, placeName, islandName, testid: 'candidate' });
    expect(screen.queryAllByTestId('rec-estimate')).toHaveLength(0);
  });

  it('says when the unit is already there, without a leg row', () => {
    render(CandidateRow, { candidate: { ...candidate, legs: [] }, rank: 1, placeName, islandName, testid: 'candidate' });
    const row = screen.getByTestId('candidate');
    expect(row.querySelectorAll('.legs li')).toHaveLength(0);
    expect(row.textContent).toContain('已在现场');
  });

  it('puts the caller’s action in the head, or makes the head the button that chooses', async () => {
    i18n.set('en');
    const action = createRawSnippet(() => ({ render: () => '<button data-testid="assign">Assign</button>' }));
    const { unmount } = render(CandidateRow, { candidate, rank: 1, placeName, islandName, testid: 'candidate', action });
    expect(screen.getByTestId('candidate').querySelector('.head [data-testid="assign"]')).not.toBeNull();
    unmount();

    const onchoose = vi.fn();
    render(CandidateRow, {
      candidate,
      rank: 1,
      placeName,
      islandName,
      testid: 'reassign-row',
      busy: 'en route · incident #9',
      onchoose,
      chooseTestid: 'reassign-option',
      status: 'en_route',
    });
    const head = screen.getByTestId('reassign-option');
    expect(head.tagName).toBe('BUTTON');
    expect(head.dataset.status).toBe('en_route');
    expect(head.textContent).toContain('en route · incident #9');
    await fireEvent.click(head);
    expect(onchoose).toHaveBeenCalledOnce();
    expect(screen.getByTestId('reassign-row').textContent).toContain('Ferry 长白码头 → 定海码头 (08:30) 15:00');
  });
});
