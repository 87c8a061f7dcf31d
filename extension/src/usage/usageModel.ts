// What the Usage view shows for a `grove/usage/get` answer or failure: bars, reset times in words, extra usage in dollars; no vscode import.
import { Settings, settingKey } from '../common/commands';
import { ErrorCodes, type UsageResult, type UsageWindow } from '../common/protocol';

/** Where people see and change their plan's usage. */
export const USAGE_SETTINGS_URL = 'https://claude.ai/settings/usage';
/** The key, in the `grove` section, of the setting that turns usage insights on. */
export const USAGE_SETTING_KEY = settingKey(Settings.usageInsights);

/** Why the last request gave no fresh answer. */
export type UsageProblem =
  /** -32031: the CLI is signed in with an API key or an inherited token, or not at all. */
  | { kind: 'noSubscription'; message: string }
  /** -32032: the token was refused and could not be refreshed. */
  | { kind: 'signInAgain'; message: string }
  /** Anything else (no network, the sidecar is down, …). */
  | { kind: 'error'; message: string };

export interface UsageState {
  /** `grove.usageInsights.enabled`. */
  enabled: boolean;
  /** A request is under way. */
  loading: boolean;
  /** The last good answer (kept through later failures). */
  result: UsageResult | undefined;
  problem: UsageProblem | undefined;
}

export const INITIAL_USAGE_STATE: UsageState = { enabled: false, loading: false, result: undefined, problem: undefined };

/** The problem for a failed `grove/usage/get` (`code` is the JSON-RPC error code, when there is one). */
export function usageProblem(code: number | undefined, message: string): UsageProblem {
  if (code === ErrorCodes.NoOAuthCredentials) return { kind: 'noSubscription', message };
  if (code === ErrorCodes.CredentialsExpired) return { kind: 'signInAgain', message };
  return { kind: 'error', message };
}

/** The state after a failure: the last good answer stays, except when there is no subscription sign-in any more. */
export function failedState(state: UsageState, problem: UsageProblem): UsageState {
  return { ...state, loading: false, problem, result: problem.kind === 'noSubscription' ? undefined : state.result };
}

/** How full a bar is, for its colour. */
export type BarLevel = 'ok' | 'warn' | 'high';

export interface UsageBar {
  id: string;
  label: string;
  /** "39%". */
  percentText: string;
  /** 0–100, for the bar's width. */
  width: number;
  level: BarLevel;
  /** "resets in 2 h 14 min", "resets Tue 10:00"; undefined when the API gives no time. */
  resetText: string | undefined;
}

export interface ExtraUsageView {
  /** "$1.37 of $100.00 this month", or "$1.37 this month (no monthly limit)". */
  text: string;
  /** The bar, when there is a monthly limit. */
  bar: { width: number; percentText: string; level: BarLevel } | undefined;
}

/** 39 → "39%", 1.37 → "1.4%", 0 → "0%". */
export function formatPercent(value: number): string {
  const shown = value < 10 && !Number.isInteger(value) ? (Math.round(value * 10) / 10).toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${shown}%`;
}

export function barLevel(percent: number): BarLevel {
  if (percent >= 90) return 'high';
  if (percent >= 70) return 'warn';
  return 'ok';
}

const clamp = (value: number): number => Math.min(100, Math.max(0, value));

/** Cents as dollars: 137 → "$1.37", 10000 → "$100.00". */
export function dollars(cents: number): string {
  return (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** "10:00", in the local time of this machine. */
function clock(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/**
 * When a window resets, in words: within a day relative ("resets in 2 h 14 min", "resets in
 * 45 min"), later the local weekday and time ("resets Tue 10:00"), with the date from 6 days on
 * ("resets Tue 14 Jan 10:00"). Undefined for a missing or unreadable time.
 */
export function resetWording(resetsAt: string | null, now: Date): string | undefined {
  if (resetsAt === null) return undefined;
  const at = new Date(resetsAt);
  if (Number.isNaN(at.getTime())) return undefined;
  const ms = at.getTime() - now.getTime();
  if (ms <= 0) return 'resets now';
  if (ms < MINUTE_MS) return 'resets in under a minute';
  if (ms < DAY_MS) {
    const minutes = Math.round(ms / MINUTE_MS);
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    if (h === 0) return `resets in ${m} min`;
    return m === 0 ? `resets in ${h} h` : `resets in ${h} h ${m} min`;
  }
  const day = WEEKDAYS[at.getDay()] ?? '';
  if (ms < 6 * DAY_MS) return `resets ${day} ${clock(at)}`;
  return `resets ${day} ${at.getDate()} ${MONTHS[at.getMonth()] ?? ''} ${clock(at)}`;
}

/** When the answer was fetched: "14:02" today, "Tue 14:02" otherwise. */
export function fetchedWording(fetchedAt: string, now: Date): string {
  const at = new Date(fetchedAt);
  if (Number.isNaN(at.getTime())) return fetchedAt;
  const sameDay = at.toDateString() === now.toDateString();
  return sameDay ? clock(at) : `${WEEKDAYS[at.getDay()] ?? ''} ${clock(at)}`;
}

export function usageBar(window: UsageWindow, now: Date): UsageBar {
  const percent = Number.isFinite(window.utilization) ? window.utilization : 0;
  return {
    id: window.id,
    label: window.label,
    percentText: formatPercent(percent),
    width: clamp(percent),
    level: barLevel(percent),
    resetText: resetWording(window.resetsAt, now),
  };
}

/** One bar per window, in the sidecar's order. */
export function usageBars(result: UsageResult, now: Date): UsageBar[] {
  return result.windows.map((w) => usageBar(w, now));
}

const numberOf = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** Extra usage (pay as you go beyond the plan), when it is turned on; the API counts it in cents. */
export function extraUsageView(extra: Record<string, unknown> | null): ExtraUsageView | undefined {
  if (extra?.is_enabled !== true) return undefined;
  const used = numberOf(extra.used_credits) ?? 0;
  const limit = numberOf(extra.monthly_limit);
  if (limit === undefined || limit <= 0) return { text: `${dollars(used)} this month (no monthly limit)`, bar: undefined };
  const percent = numberOf(extra.utilization) ?? (used / limit) * 100;
  return {
    text: `${dollars(used)} of ${dollars(limit)} this month`,
    bar: { width: clamp(percent), percentText: formatPercent(percent), level: barLevel(percent) },
  };
}

/** "default_claude_max_20x" → "Max 20x"; an unknown shape keeps its words. */
export function tierName(tier: string): string {
  const words = tier
    .replace(/^default_/, '')
    .replace(/^claude_/, '')
    .split('_')
    .filter((w) => w !== '');
  if (words.length === 0) return tier;
  const [first = '', ...rest] = words;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ');
}

/** The window the status-bar tooltip shows: the 5-hour session. */
export const SESSION_WINDOW_ID = 'five_hour';

/** "Session (5h): 39% · resets in 2 h", or undefined when the answer has no 5-hour window. */
export function sessionLine(result: UsageResult, now: Date): string | undefined {
  const window = result.windows.find((w) => w.id === SESSION_WINDOW_ID);
  if (!window) return undefined;
  const bar = usageBar(window, now);
  return bar.resetText === undefined ? `${bar.label}: ${bar.percentText}` : `${bar.label}: ${bar.percentText} · ${bar.resetText}`;
}
