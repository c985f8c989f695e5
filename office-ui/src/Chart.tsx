// A chart drawn by Chart.js (tree-shaken: bars and lines only) on a canvas named for screen readers; the same
// figures are always in a table beside it.
import { useEffect, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface Series { label: string; data: number[]; color: string; kind?: 'bar' | 'line' }

export function FigureChart({ title, labels, series, id }: { title: string; labels: string[]; series: Series[]; id: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels, datasets: series.map((s) => ({ type: s.kind ?? 'bar', label: s.label, data: s.data, backgroundColor: s.color, borderColor: s.color })) as never },
      options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } }, scales: { y: { beginAtZero: true } } },
    });
    return () => chart.destroy();
  }, [labels, series]);
  return (
    <figure className="chart">
      <figcaption id={`${id}-cap`}>{title}</figcaption>
      <div className="canvas-box"><canvas ref={canvas} role="img" aria-labelledby={`${id}-cap`} data-chart={id} data-values={JSON.stringify(series.map((s) => s.data))} /></div>
    </figure>
  );
}
