import { render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import TipKpisCard from './TipKpisCard.svelte';
import { closeTimeText, tipPeriod } from './tipKpis';

describe('tips in the supervisor’s report', () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it('asks for the report’s dates, the last day included, else the last 30 days', () => {
    const [from, to] = tipPeriod('2026-07-01', '2026-07-02', 0);
    expect(to - from).toBe(2 * 86_400);
    expect(from).toBe(new Date('2026-07-01T00:00:00').getTime() / 1000);
    const now = Date.UTC(2026, 6, 31, 12);
    expect(tipPeriod('', '', now)).toEqual([now / 1000 - 30 * 86_400, now / 1000 + 1]);
    expect(tipPeriod('2026-07-05', '2026-07-01', now)[0]).toBe(now / 1000 - 30 * 86_400);
  });

  it('words the time to close', () => {
    expect(closeTimeText('zh-CN', null)).toBe('—');
    expect(closeTimeText('zh-CN', 20)).toBe('1 分钟');
    expect(closeTimeText('en', 1800)).toBe('30 min');
    expect(closeTimeText('en', 5.5 * 3600)).toBe('5.5 h');
  });

  it('shows received, closed and the median in all, by island and by category', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd !== 'tip_kpis') throw new Error(cmd);
      return {
        from_utc: 0,
        to_utc: 1,
        all: { key: 'all', received: 12, closed: 9, median_close_s: 1500 },
        by_island: [{ key: 'zhoushan', received: 12, closed: 9, median_close_s: 1500 }],
        by_category: [{ key: 'traffic_jam', received: 5, closed: 5, median_close_s: 600 }],
      };
    });
    const islandLabel = (id: string) => ({ zhoushan: '舟山本岛' })[id] ?? id;
    render(TipKpisCard, { from: '2026-07-01', to: '2026-07-31', islandLabel });
    await vi.waitFor(() => expect(screen.getAllByTestId('tip-kpi-row')).toHaveLength(3));
    const [all, island, jam] = screen.getAllByTestId('tip-kpi-row');
    expect(island.textContent).toContain('舟山本岛');
    expect(island.textContent).not.toContain('zhoushan');
    expect(all.textContent).toContain('12');
    expect(all.textContent).toContain('25 分钟');
    expect(jam.textContent).toContain('交通拥堵');
    const [, args] = invoke.mock.calls[0] as [string, { from: number; to: number }];
    expect(args.to - args.from).toBe(31 * 86_400);
  });

  it('shows a refusal in place', async () => {
    invoke.mockRejectedValue({ kind: 'forbidden', message: 'ann (dispatcher) may not view reports' });
    render(TipKpisCard, { from: '', to: '' });
    await vi.waitFor(() => expect(screen.getByTestId('tip-kpis-error').textContent).toContain('may not view reports'));
  });
});
