// A `grove/usage/get` answer shaped like the sidecar's for the usage API's sample, for the unit tests.
import type { UsageResult } from '../common/protocol';

/** Tuesday 7 January 2025, 10:00 local time. */
export const NOW = new Date(2025, 0, 7, 10, 0, 0);
export const later = (ms: number): string => new Date(NOW.getTime() + ms).toISOString();
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const maxUsage: UsageResult = {
  subscriptionType: 'max',
  rateLimitTier: 'default_claude_max_20x',
  windows: [
    { id: 'five_hour', label: 'Session (5h)', utilization: 39, resetsAt: later(2 * HOUR + 14 * MINUTE) },
    { id: 'seven_day', label: 'Week (all)', utilization: 15, resetsAt: later(5 * DAY) },
    { id: 'seven_day_sonnet', label: 'Week (Sonnet)', utilization: 4, resetsAt: later(5 * DAY) },
  ],
  extraUsage: { is_enabled: true, monthly_limit: 10000, used_credits: 137, utilization: 1.37 },
  fetchedAt: NOW.toISOString(),
  stale: false,
};
