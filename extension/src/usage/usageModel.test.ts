// Unit tests of usageModel: reset times in words, percentages, bars, extra usage in dollars, tiers, problems and the status-bar line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCodes } from '../common/protocol';
import {
  barLevel,
  dollars,
  extraUsageView,
  failedState,
  fetchedWording,
  formatPercent,
  INITIAL_USAGE_STATE,
  resetWording,
  sessionLine,
  tierName,
  usageBars,
  usageProblem,
} from './usageModel';
import { DAY, HOUR, later, maxUsage, MINUTE, NOW } from './usageFixtures';

describe('resetWording', () => {
  it('says how long until a reset within a day', () => {
    assert.equal(resetWording(later(2 * HOUR + 14 * MINUTE), NOW), 'resets in 2 h 14 min');
    assert.equal(resetWording(later(2 * HOUR), NOW), 'resets in 2 h');
    // Rounded to the minute: just under two hours is two hours.
    assert.equal(resetWording(later(2 * HOUR - 10_000), NOW), 'resets in 2 h');
    assert.equal(resetWording(later(45 * MINUTE), NOW), 'resets in 45 min');
    assert.equal(resetWording(later(20_000), NOW), 'resets in under a minute');
    assert.equal(resetWording(later(23 * HOUR + 59 * MINUTE), NOW), 'resets in 23 h 59 min');
  });

  it('names the local weekday and time from a day on, and the date from 6 days on', () => {
    // NOW is Tuesday 7 January, 10:00.
    assert.equal(resetWording(new Date(2025, 0, 9, 8, 5).toISOString(), NOW), 'resets Thu 08:05');
    assert.equal(resetWording(later(DAY), NOW), 'resets Wed 10:00');
    assert.equal(resetWording(new Date(2025, 0, 14, 10, 0).toISOString(), NOW), 'resets Tue 14 Jan 10:00');
  });

  it('handles a time that passed, none, or one it cannot read', () => {
    assert.equal(resetWording(later(-MINUTE), NOW), 'resets now');
    assert.equal(resetWording(null, NOW), undefined);
    assert.equal(resetWording('soon', NOW), undefined);
  });
});

describe('numbers', () => {
  it('formats percentages: whole from 10, one decimal below', () => {
    assert.equal(formatPercent(39), '39%');
    assert.equal(formatPercent(39.6), '40%');
    assert.equal(formatPercent(4), '4%');
    assert.equal(formatPercent(1.37), '1.4%');
    assert.equal(formatPercent(0.04), '0%');
    assert.equal(formatPercent(100), '100%');
  });

  it('colours a bar by how full it is', () => {
    assert.equal(barLevel(39), 'ok');
    assert.equal(barLevel(70), 'warn');
    assert.equal(barLevel(95), 'high');
  });

  it('shows cents as dollars', () => {
    assert.equal(dollars(137), '$1.37');
    assert.equal(dollars(10000), '$100.00');
    assert.equal(dollars(123456), '$1,234.56');
    assert.equal(dollars(0), '$0.00');
  });

  it('names the rate-limit tier', () => {
    assert.equal(tierName('default_claude_max_20x'), 'Max 20x');
    assert.equal(tierName('default_claude_max_5x'), 'Max 5x');
    assert.equal(tierName('default_claude_pro'), 'Pro');
    assert.equal(tierName('something'), 'Something');
    assert.equal(tierName('___'), '___');
  });
});

describe('usageBars', () => {
  it('makes one bar per window, with the sidecar label, the percentage and the reset in words', () => {
    const bars = usageBars(maxUsage, NOW);
    assert.deepEqual(
      bars.map((b) => [b.id, b.label, b.percentText, b.width, b.level, b.resetText]),
      [
        ['five_hour', 'Session (5h)', '39%', 39, 'ok', 'resets in 2 h 14 min'],
        ['seven_day', 'Week (all)', '15%', 15, 'ok', 'resets Sun 10:00'],
        ['seven_day_sonnet', 'Week (Sonnet)', '4%', 4, 'ok', 'resets Sun 10:00'],
      ],
    );
  });

  it('keeps a bar within 0–100 and survives a missing reset time', () => {
    const bar = usageBars({ ...maxUsage, windows: [{ id: 'x', label: 'x', utilization: 130, resetsAt: null }] }, NOW)[0];
    assert.ok(bar);
    assert.equal(bar.width, 100);
    assert.equal(bar.percentText, '130%');
    assert.equal(bar.level, 'high');
    assert.equal(bar.resetText, undefined);
  });
});

describe('extraUsageView', () => {
  it('shows used and limit in dollars, with a bar', () => {
    assert.deepEqual(extraUsageView(maxUsage.extraUsage), {
      text: '$1.37 of $100.00 this month',
      bar: { width: 1.37, percentText: '1.4%', level: 'ok' },
    });
  });

  it('computes the share when the API leaves it out, and has no bar without a limit', () => {
    assert.equal(extraUsageView({ is_enabled: true, monthly_limit: 1000, used_credits: 800 })?.bar?.percentText, '80%');
    assert.deepEqual(extraUsageView({ is_enabled: true, monthly_limit: null, used_credits: 250 }), {
      text: '$2.50 this month (no monthly limit)',
      bar: undefined,
    });
  });

  it('is absent when extra usage is off or unknown', () => {
    assert.equal(extraUsageView(null), undefined);
    assert.equal(extraUsageView({ is_enabled: false, monthly_limit: 1000, used_credits: 0 }), undefined);
    assert.equal(extraUsageView({}), undefined);
  });
});

describe('problems', () => {
  it('tells a missing subscription sign-in and a refused one from other failures', () => {
    assert.equal(usageProblem(ErrorCodes.NoOAuthCredentials, 'API key').kind, 'noSubscription');
    assert.equal(usageProblem(ErrorCodes.CredentialsExpired, 'expired').kind, 'signInAgain');
    assert.equal(usageProblem(undefined, 'network down').kind, 'error');
    assert.equal(usageProblem(-32603, 'internal').kind, 'error');
  });

  it('keeps the last good answer through a failure, except when there is no subscription sign-in', () => {
    const state = { ...INITIAL_USAGE_STATE, enabled: true, loading: true, result: maxUsage };
    const failed = failedState(state, { kind: 'error', message: 'timed out' });
    assert.equal(failed.result, maxUsage);
    assert.equal(failed.loading, false);
    assert.equal(failedState(state, { kind: 'signInAgain', message: 'expired' }).result, maxUsage);
    assert.equal(failedState(state, { kind: 'noSubscription', message: 'API key' }).result, undefined);
  });
});

describe('lines', () => {
  it('words the fetch time: the time today, with the weekday otherwise', () => {
    assert.equal(fetchedWording(new Date(2025, 0, 7, 9, 58).toISOString(), NOW), '09:58');
    assert.equal(fetchedWording(new Date(2025, 0, 6, 23, 0).toISOString(), NOW), 'Mon 23:00');
    assert.equal(fetchedWording('never', NOW), 'never');
  });

  it('gives the 5-hour window for the status bar', () => {
    assert.equal(sessionLine(maxUsage, NOW), 'Session (5h): 39% · resets in 2 h 14 min');
    assert.equal(sessionLine({ ...maxUsage, windows: maxUsage.windows.slice(1) }, NOW), undefined);
    const noReset = { ...maxUsage, windows: [{ id: 'five_hour', label: 'Session (5h)', utilization: 5, resetsAt: null }] };
    assert.equal(sessionLine(noReset, NOW), 'Session (5h): 5%');
  });
});
