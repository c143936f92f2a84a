import { Cell, Pie, PieChart, Tooltip } from 'recharts';
import { STATUS_DONUT_SIZE } from './chart-theme';
import { statusText } from './http-status-text';
import type { StatusCount } from './usage-api';
import { formatCount } from './usage-format';

interface StatusCodesDonutProps {
  readonly statusCodes: readonly StatusCount[];
  readonly colors: ReadonlyMap<number, string>;
  readonly total: number;
}

/** Share of each status code, with the total in the middle. Loaded lazily with the chart library. */
export function StatusCodesDonut({ statusCodes, colors, total }: StatusCodesDonutProps) {
  const data = statusCodes.map((row) => ({ name: String(row.status), value: row.count }));
  return (
    <div className="donut" style={{ width: STATUS_DONUT_SIZE, height: STATUS_DONUT_SIZE }}>
      <PieChart width={STATUS_DONUT_SIZE} height={STATUS_DONUT_SIZE}>
        <Pie
          data={data}
          dataKey="value"
          nameKey="name"
          innerRadius={50}
          outerRadius={72}
          paddingAngle={data.length > 1 ? 2 : 0}
          stroke="none"
          isAnimationActive={false}
        >
          {data.map((entry) => (
            <Cell key={entry.name} fill={colors.get(Number(entry.name)) ?? '#cfd7df'} />
          ))}
        </Pie>
        <Tooltip
          isAnimationActive={false}
          content={({ active, payload }) => {
            const entry = active ? payload[0] : undefined;
            if (entry === undefined) return null;
            const status = Number(entry.name);
            return (
              <div className="chart-tooltip">
                <p className="chart-tooltip-title">
                  {status} {statusText(status)}
                </p>
                <p>{formatCount(Number(entry.value))} requests</p>
              </div>
            );
          }}
        />
      </PieChart>
      <div className="donut-center" aria-hidden="true">
        <strong>{formatCount(total)}</strong>
        <span>requests</span>
      </div>
    </div>
  );
}
