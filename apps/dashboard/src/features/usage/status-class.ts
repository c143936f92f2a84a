export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';

export const STATUS_CLASSES: readonly StatusClass[] = ['2xx', '3xx', '4xx', '5xx'];

/**
 * Chart colours per class. SVG fills need plain colours, so they live here; styles.css uses the
 * same values for the status badges and legend dots.
 */
export const STATUS_COLORS: Record<StatusClass, string> = {
  '2xx': '#1f9d63',
  '3xx': '#3b82f6',
  '4xx': '#e8a317',
  '5xx': '#e5484d',
};

export const STATUS_CLASS_LABELS: Record<StatusClass, string> = {
  '2xx': 'Success',
  '3xx': 'Redirect',
  '4xx': 'Client error',
  '5xx': 'Server error',
};

export function statusClassOf(status: number): StatusClass {
  if (status >= 500) return '5xx';
  if (status >= 400) return '4xx';
  if (status >= 300) return '3xx';
  return '2xx';
}
