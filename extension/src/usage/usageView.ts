// The Usage view's HTML (every string escaped; bars as SVG, so the strict CSP needs no inline style) and the messages its webview sends back; no vscode import.
import { Settings } from '../common/commands';
import { documentHead, escapeHtml, scriptTag, type WebviewPage } from '../common/webview';
import { planName } from '../account/accountModel';
import {
  extraUsageView,
  fetchedWording,
  tierName,
  USAGE_SETTINGS_URL,
  usageBars,
  type BarLevel,
  type UsageBar,
  type UsageProblem,
  type UsageState,
} from './usageModel';

/** What the webview's buttons ask for. */
export type UsageAction = 'enable' | 'refresh' | 'signIn' | 'openUsagePage';

const ACTIONS: ReadonlySet<string> = new Set<UsageAction>(['enable', 'refresh', 'signIn', 'openUsagePage']);

/** Checks a message from the webview (`{type: 'action', action}`); anything else is undefined. */
export function parseUsageMessage(message: unknown): UsageAction | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  if (m.type !== 'action' || typeof m.action !== 'string' || !ACTIONS.has(m.action)) return undefined;
  return m.action as UsageAction;
}

/** What enabling does, in the view and (shorter) in the setting's description. */
export const ENABLE_EXPLANATION = [
  "When on, Grove reads the Claude CLI's sign-in token (OAuth) on this computer to ask Anthropic's usage API how much of your plan's limits you have used.",
  'When the token expires, Grove refreshes it and writes the new one back where the CLI keeps it. Nothing is read while this is off.',
];

export interface UsagePage extends WebviewPage {
  /** usageBody(): the part that changes. */
  body: string;
}

/** The whole page: a strict CSP (no inline style or script but the nonce'd one), the theme's colours from the stylesheet. */
export function usagePageHtml(page: UsagePage): string {
  const csp = ["default-src 'none'", `style-src ${page.cspSource}`, `img-src ${page.cspSource}`, `script-src 'nonce-${page.nonce}'`].join('; ');
  return `${documentHead(csp, page.styleUris, 'Usage')}
<body>
${page.body}
${scriptTag(page)}
</body>
</html>`;
}

const button = (action: UsageAction, label: string, secondary = false): string =>
  `<button type="button" data-action="${action}"${secondary ? ' class="secondary"' : ''}>${escapeHtml(label)}</button>`;

/** A bar as SVG: widths are attributes, not styles, so the CSP needs no 'unsafe-inline'. */
function barSvg(label: string, width: number, level: BarLevel, percentText: string): string {
  const w = `${Math.round(width * 10) / 10}%`;
  return (
    `<svg class="bar" role="progressbar" aria-label="${escapeHtml(label)}" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${Math.round(width)}" aria-valuetext="${escapeHtml(percentText)}" width="100%" height="8">` +
    `<rect class="track" x="0" y="0" width="100%" height="8" rx="4"></rect>` +
    `<rect class="fill level-${level}" x="0" y="0" width="${w}" height="8" rx="4"></rect></svg>`
  );
}

function windowHtml(bar: UsageBar): string {
  const reset = bar.resetText === undefined ? '' : `<div class="reset">${escapeHtml(bar.resetText)}</div>`;
  return `<div class="window" data-id="${escapeHtml(bar.id)}">
<div class="window-head"><span class="label">${escapeHtml(bar.label)}</span><span class="pct">${escapeHtml(bar.percentText)}</span></div>
${barSvg(bar.label, bar.width, bar.level, bar.percentText)}
${reset}
</div>`;
}

function problemHtml(problem: UsageProblem, hasResult: boolean): string {
  switch (problem.kind) {
    case 'noSubscription':
      return `<div class="notice notice-warning" role="alert" data-problem="noSubscription">
<p><strong>Usage needs a Claude subscription sign-in.</strong></p>
<p>${escapeHtml(problem.message)}</p>
<p>Sign in with your Claude account (Pro, Max, Team or Enterprise) to see your plan's limits here.</p>
<div class="actions">${button('signIn', 'Sign In')}</div>
</div>`;
    case 'signInAgain':
      return `<div class="notice notice-warning" role="alert" data-problem="signInAgain">
<p><strong>Sign in again to see your usage.</strong></p>
<p>${escapeHtml(problem.message)}</p>
<div class="actions">${button('signIn', 'Sign In')}</div>
</div>`;
    case 'error':
      return `<div class="notice notice-error" role="alert" data-problem="error">
<p><strong>Usage could not be updated.</strong> ${escapeHtml(problem.message)}</p>${hasResult ? '\n<p>Showing the last answer.</p>' : ''}
</div>`;
  }
}

function disabledHtml(): string {
  return `<div id="grove-usage" data-state="disabled">
<p><strong>Usage insights are off.</strong></p>
<p>See how much of your Claude plan's limits you have used: the 5-hour session, the week, and extra usage.</p>
${ENABLE_EXPLANATION.map((p) => `<p class="muted">${escapeHtml(p)}</p>`).join('\n')}
<div class="actions">${button('enable', 'Enable')}</div>
<p class="muted small">Setting: <code>${escapeHtml(Settings.usageInsights)}</code></p>
</div>`;
}

/** The body of the view for a state, at `now` (for the reset times in words). */
export function usageBody(state: UsageState, now: Date): string {
  if (!state.enabled) return disabledHtml();
  const parts: string[] = [];
  const { result, problem } = state;
  if (problem) parts.push(problemHtml(problem, result !== undefined));
  if (result) {
    const plan = result.subscriptionType ? `Claude ${planName(result.subscriptionType)}` : 'Claude';
    const tier = result.rateLimitTier
      ? `<div class="tier muted" title="${escapeHtml(result.rateLimitTier)}">Rate-limit tier: ${escapeHtml(tierName(result.rateLimitTier))}</div>`
      : '';
    parts.push(`<header class="plan"><div class="plan-name">${escapeHtml(plan)}</div>${tier}</header>`);
    const bars = usageBars(result, now);
    parts.push(
      bars.length > 0
        ? `<section class="windows">\n${bars.map(windowHtml).join('\n')}\n</section>`
        : '<p class="muted">The usage API listed no limits for this plan.</p>',
    );
    const extra = extraUsageView(result.extraUsage);
    if (extra) {
      const bar = extra.bar ? `\n${barSvg('Extra usage', extra.bar.width, extra.bar.level, extra.bar.percentText)}` : '';
      const pct = extra.bar ? `<span class="pct">${escapeHtml(extra.bar.percentText)}</span>` : '';
      parts.push(`<section class="extra window" data-id="extra_usage">
<div class="window-head"><span class="label">Extra usage</span>${pct}</div>${bar}
<div class="reset">${escapeHtml(extra.text)}</div>
</section>`);
    }
    const fetched = `Updated ${fetchedWording(result.fetchedAt, now)}`;
    parts.push(
      `<p class="fetched muted">${escapeHtml(fetched)}${result.stale ? ' <span class="stale" title="The last request failed: this is the last good answer.">(stale)</span>' : ''}${state.loading ? ' · refreshing…' : ''}</p>`,
    );
  } else if (!problem) {
    parts.push(`<p class="muted">${state.loading ? 'Loading usage…' : 'No usage yet.'}</p>`);
  }
  parts.push(
    `<div class="actions">${button('refresh', 'Refresh', true)} <a href="${escapeHtml(USAGE_SETTINGS_URL)}" data-action="openUsagePage">Usage on claude.ai</a></div>`,
  );
  const stateName = result ? 'data' : problem ? 'problem' : 'loading';
  return `<div id="grove-usage" data-state="${stateName}">\n${parts.join('\n')}\n</div>`;
}
