import { lazy } from 'react';

// The chart library is about as large as the rest of the dashboard, so it loads only with the
// charts; the KPIs and tables around them render without waiting for it.
export const LazyApiUsageChart = lazy(() => import('./api-usage-chart').then((module) => ({ default: module.ApiUsageChart })));
export const LazyStatusCodesDonut = lazy(() => import('./status-codes-donut').then((module) => ({ default: module.StatusCodesDonut })));
