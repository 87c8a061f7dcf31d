// Unit tests of usageView: the Usage view's HTML for every state (escaped, CSP without inline style) and the webview's messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UsageState } from './usageModel';
import { INITIAL_USAGE_STATE, USAGE_SETTINGS_URL } from './usageModel';
import { parseUsageMessage, usageBody, usagePageHtml } from './usageView';
import { maxUsage, NOW } from './usageFixtures';

const on = (state: Partial<UsageState> = {}): UsageState => ({ ...INITIAL_USAGE_STATE, enabled: true, ...state });
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
/** The text a person reads: tags removed, entities decoded, whitespace squeezed. */
const text = (html: string): string =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e)
    .replace(/\s+/g, ' ')
    .trim();

describe('usageBody', () => {
  it('explains what enabling does, with an Enable button, while off', () => {
    const html = usageBody(INITIAL_USAGE_STATE, NOW);
    assert.match(html, /data-state="disabled"/);
    assert.match(text(html), /Usage insights are off/);
    assert.match(text(html), /reads the Claude CLI's sign-in token/);
    assert.match(text(html), /writes the new one back where the CLI keeps it/);
    assert.match(text(html), /Nothing is read while this is off/);
    assert.match(html, /<button type="button" data-action="enable">Enable<\/button>/);
    assert.doesNotMatch(html, /data-action="refresh"/);
  });

  it('says it is loading before the first answer', () => {
    assert.match(text(usageBody(on({ loading: true }), NOW)), /Loading usage…/);
  });

  it('shows the plan, one bar per window with percentage and reset, extra usage in dollars, the fetch time and the link', () => {
    const html = usageBody(on({ result: maxUsage }), NOW);
    const t = text(html);
    assert.match(html, /data-state="data"/);
    assert.match(t, /Claude Max/);
    assert.match(t, /Rate-limit tier: Max 20x/);
    assert.match(t, /Session \(5h\) 39% resets in 2 h 14 min/);
    assert.match(t, /Week \(all\) 15% resets Sun 10:00/);
    assert.match(t, /Week \(Sonnet\) 4% resets Sun 10:00/);
    const windows = /<section class="windows">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    assert.equal(windows.split('class="window"').length - 1, 3);
    assert.match(t, /Extra usage 1.4% \$1\.37 of \$100\.00 this month/);
    assert.match(t, /Updated 10:00/);
    assert.doesNotMatch(t, /stale/);
    assert.match(html, /<rect class="fill level-ok" x="0" y="0" width="39%"/);
    assert.match(html, /role="progressbar" aria-label="Session \(5h\)"[^>]*aria-valuenow="39"/);
    assert.match(html, /data-action="refresh"/);
    assert.ok(html.includes(`href="${USAGE_SETTINGS_URL}" data-action="openUsagePage"`));
    // Bars are SVG attributes: no inline style for the CSP to refuse.
    assert.doesNotMatch(html, /style=/);
  });

  it('marks a stale answer with its fetch time', () => {
    assert.match(text(usageBody(on({ result: { ...maxUsage, stale: true } }), NOW)), /Updated 10:00 \(stale\)/);
  });

  it('leaves out extra usage that is off, and says so when there are no windows', () => {
    const t = text(usageBody(on({ result: { ...maxUsage, windows: [], extraUsage: { is_enabled: false } } }), NOW));
    assert.doesNotMatch(t, /Extra usage/);
    assert.match(t, /listed no limits/);
  });

  it('explains a missing subscription sign-in, with Sign In', () => {
    const html = usageBody(on({ problem: { kind: 'noSubscription', message: 'The Claude CLI uses an API key.' } }), NOW);
    assert.match(text(html), /Usage needs a Claude subscription sign-in\. The Claude CLI uses an API key\./);
    assert.match(html, /data-action="signIn">Sign In</);
  });

  it('asks to sign in again after a refused token, still showing the last answer', () => {
    const html = usageBody(on({ result: maxUsage, problem: { kind: 'signInAgain', message: 'The token was refused.' } }), NOW);
    assert.match(text(html), /Sign in again to see your usage\. The token was refused\./);
    assert.match(html, /data-action="signIn"/);
    assert.match(text(html), /Session \(5h\) 39%/);
  });

  it('shows another failure with the last good answer', () => {
    const t = text(usageBody(on({ result: maxUsage, problem: { kind: 'error', message: 'timed out' } }), NOW));
    assert.match(t, /Usage could not be updated\. timed out Showing the last answer\./);
    assert.match(t, /Week \(all\) 15%/);
  });

  it('escapes everything the sidecar sends', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const html = usageBody(
      on({
        result: { ...maxUsage, subscriptionType: evil, rateLimitTier: evil, windows: [{ id: evil, label: evil, utilization: 1, resetsAt: null }] },
        problem: { kind: 'error', message: evil },
      }),
      NOW,
    );
    assert.doesNotMatch(html, /<img/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });
});

describe('usagePageHtml', () => {
  it('has a strict CSP: the nonce script only, styles from the extension only', () => {
    const html = usagePageHtml({
      cspSource: 'https://webview',
      nonce: 'abc123',
      scriptUri: 'https://webview/usage.js',
      styleUris: ['https://webview/webview.css', 'https://webview/usage.css'],
      body: '<p>x</p>',
    });
    assert.match(html, /content="default-src &#39;none&#39;; style-src https:\/\/webview; img-src https:\/\/webview; script-src &#39;nonce-abc123&#39;"/);
    assert.match(html, /<script nonce="abc123" src="https:\/\/webview\/usage.js"><\/script>/);
    assert.match(html, /<p>x<\/p>/);
  });
});

describe('parseUsageMessage', () => {
  it('accepts the four actions only', () => {
    for (const action of ['enable', 'refresh', 'signIn', 'openUsagePage']) {
      assert.equal(parseUsageMessage({ type: 'action', action }), action);
    }
    for (const bad of [null, 'refresh', { type: 'action' }, { type: 'action', action: 'deleteEverything' }, { type: 'other', action: 'refresh' }]) {
      assert.equal(parseUsageMessage(bad), undefined);
    }
  });
});
