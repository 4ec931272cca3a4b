// The ECharts build Coop Atlas ships: only the chart types and components the app draws, so phones on
// 3G download what is used. The map is not an ECharts chart (it is inline SVG, src/ui/svg_map.rs):
// no MapChart and its geo code (174.9 -> 162.7 KB brotli). Bundled by scripts/build-echarts.mjs into
// public/vendor/echarts.min.js (self-hosted; no CDN). Add a chart type here before using it in src/charts/. Titles, legends of
// the map and text alternatives are HTML, so ECharts' aria, dataset and visualMap components stay
// out; the title component stays so a chart downloaded as PNG carries its title, source and label.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import {
  GridComponent, TooltipComponent, LegendComponent, TitleComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart, LineChart, PieChart,
  GridComponent, TooltipComponent, LegendComponent, TitleComponent,
  CanvasRenderer,
]);

globalThis.echarts = echarts;
