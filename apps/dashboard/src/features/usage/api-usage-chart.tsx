import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ApiUsageTooltip } from './api-usage-tooltip';
import { timeAxis } from './bucket-time';
import { API_USAGE_CHART_HEIGHT, AXIS_LINE, AXIS_TICK, CURSOR_FILL, formatAxisCount, GRID_STROKE } from './chart-theme';
import { STATUS_CLASSES, STATUS_COLORS } from './status-class';
import type { Granularity, UsagePoint } from './usage-api';
import { chartPoints, classKey } from './usage-series';

interface ApiUsageChartProps {
  readonly series: readonly UsagePoint[];
  readonly granularity: Granularity;
  readonly tz: string;
}

/** Requests per bucket, stacked by status class. Loaded lazily: the chart library is most of its weight. */
export function ApiUsageChart({ series, granularity, tz }: ApiUsageChartProps) {
  const points = useMemo(() => chartPoints(series), [series]);
  const axis = useMemo(
    () =>
      timeAxis(
        points.map((p) => p.t),
        granularity,
        tz,
      ),
    [points, granularity, tz],
  );
  return (
    <ResponsiveContainer width="100%" height={API_USAGE_CHART_HEIGHT}>
      <BarChart data={points} margin={{ top: 8, right: 4, bottom: 0, left: -8 }} barCategoryGap={points.length > 90 ? 1 : '18%'}>
        <CartesianGrid vertical={false} stroke={GRID_STROKE} />
        <XAxis
          dataKey="t"
          ticks={[...axis.ticks]}
          interval={0}
          tickFormatter={axis.label}
          tick={AXIS_TICK}
          tickLine={false}
          axisLine={AXIS_LINE}
          minTickGap={8}
        />
        <YAxis allowDecimals={false} tickFormatter={formatAxisCount} tick={AXIS_TICK} tickLine={false} axisLine={false} width={44} />
        <Tooltip
          cursor={{ fill: CURSOR_FILL }}
          isAnimationActive={false}
          content={({ active, label }) => {
            const point = active ? points.find((p) => p.t === label) : undefined;
            return point === undefined ? null : <ApiUsageTooltip point={point} granularity={granularity} tz={tz} />;
          }}
        />
        {STATUS_CLASSES.map((statusClass) => (
          // Animation off: the page refreshes every 30 s and should not re-grow its bars each time.
          <Bar
            key={statusClass}
            dataKey={classKey(statusClass)}
            name={statusClass}
            stackId="status"
            fill={STATUS_COLORS[statusClass]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
