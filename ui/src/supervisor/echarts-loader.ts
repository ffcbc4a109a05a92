// ECharts on first use: Vite puts it in its own chunk, so the screens without charts do not
// load it at start-up. (Tests mock this module.)
import type { ECharts } from './echarts';

export async function createChart(el: HTMLElement): Promise<ECharts> {
  const { createChart } = await import('./echarts');
  return createChart(el);
}
