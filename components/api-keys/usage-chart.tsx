'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { OUTCOME_LABELS, OUTCOMES, type Outcome, type UsageRange } from '@/lib/key-usage';

export type ChartPoint = { t: string } & Record<Outcome, number>;

export const OUTCOME_COLORS: Record<Outcome, string> = {
  accepted: '#059669',
  '401': '#d97706',
  '403': '#ea580c',
  '404': '#7c3aed',
  '409': '#2563eb',
  '422': '#db2777',
  '429': '#dc2626',
  other: '#64748b',
};

function tick(iso: string, range: UsageRange): string {
  const d = new Date(iso);
  const day = d.toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const hour = `${d.toISOString().slice(11, 13)}:00`;
  return range === '24h' ? hour : range === '7d' ? `${day} ${hour}` : day;
}

/**
 * Requests per bucket, stacked by outcome. The chart is a picture (role img with a summary); the
 * numbers are in the legend beside it, readable without the chart.
 */
export function UsageChart({
  points,
  range,
  summary,
}: {
  points: ChartPoint[];
  range: UsageRange;
  summary: string;
}) {
  return (
    <div role="img" aria-label={summary} className="h-56 w-full text-fg-muted">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          data={points}
          margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
          accessibilityLayer={false}
        >
          <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.15} />
          <XAxis
            dataKey="t"
            tickFormatter={(v: string) => tick(v, range)}
            tick={{ fill: 'currentColor', fontSize: 11 }}
            stroke="currentColor"
            strokeOpacity={0.3}
            minTickGap={16}
          />
          <YAxis
            allowDecimals={false}
            tick={{ fill: 'currentColor', fontSize: 11 }}
            stroke="currentColor"
            strokeOpacity={0.3}
          />
          <Tooltip
            labelFormatter={(v) => `${tick(String(v), range)} UTC`}
            contentStyle={{
              background: 'var(--color-surface, #fff)',
              border: '1px solid var(--color-border, #ddd)',
              borderRadius: 6,
              fontSize: 12,
              color: 'inherit',
            }}
            cursor={{ fill: 'currentColor', fillOpacity: 0.06 }}
          />
          {OUTCOMES.map((o) => (
            <Bar
              key={o}
              dataKey={o}
              name={OUTCOME_LABELS[o]}
              stackId="requests"
              fill={OUTCOME_COLORS[o]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
