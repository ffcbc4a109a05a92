// ECharts with only the parts the dashboard draws, to keep the bundle small.
import { init, use, type ECharts, type EChartsCoreOption } from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, HeatmapChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export function createChart(el: HTMLElement): ECharts {
  return init(el, undefined, { renderer: 'canvas' });
}

export type { ECharts, EChartsCoreOption };
