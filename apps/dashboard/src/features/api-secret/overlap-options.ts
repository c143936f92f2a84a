/** The overlaps offered when rotating; the server takes any number of seconds from 0 to 7 days. */
export interface OverlapOption {
  readonly seconds: number;
  readonly label: string;
  /** How the choice reads in a sentence: "the old secret keeps signing for 24 hours". */
  readonly phrase: string;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

export const OVERLAP_OPTIONS: readonly OverlapOption[] = [
  { seconds: 0, label: 'None – stop now', phrase: 'no overlap' },
  { seconds: HOUR, label: '1 hour', phrase: '1 hour' },
  { seconds: DAY, label: '24 hours', phrase: '24 hours' },
  { seconds: 3 * DAY, label: '3 days', phrase: '3 days' },
  { seconds: 7 * DAY, label: '7 days', phrase: '7 days' },
];

/** A day gives a backend team time to deploy the new secret without a hurry. */
export const DEFAULT_OVERLAP_SECONDS = DAY;
