// One echarts chart on a canvas (only the chart types and components the dashboard uses are
// loaded). Colours come from the theme's CSS variables and follow a light/dark switch; the numbers
// are always beside it in a table, so the canvas itself is one labelled image.
import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { Channel } from '../../../../shared/domain';

echarts.use([BarChart, HeatmapChart, LineChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export interface ThemeColors {
  text: string;
  muted: string;
  border: string;
  panel: string;
  accent: string;
  accentSoft: string;
  channel(c: Channel | 'deflected'): string;
}

function readColors(): ThemeColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1d2330'),
    muted: v('--muted', '#596170'),
    border: v('--border', '#e2e5ea'),
    panel: v('--panel', '#ffffff'),
    accent: v('--accent', '#2f62d9'),
    accentSoft: v('--accent-soft', '#e8effd'),
    channel: (c) => v(c === 'deflected' ? '--ch-portal' : `--ch-${c}`, '#5b6474'),
  };
}

/** The theme's colours, read again when the operating system switches between light and dark. */
export function useThemeColors(): ThemeColors {
  const [colors, setColors] = useState(readColors);
  useEffect(() => {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const changed = () => setColors(readColors());
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, []);
  return colors;
}

export function Chart({ option, label, height = 240 }: { option: ChartOption; label: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const el = ref.current!;
    const c = echarts.init(el, null, { renderer: 'canvas' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  return <div ref={ref} className="dash-chart" role="img" aria-label={label} style={{ height }} />;
}
