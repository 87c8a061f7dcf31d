// Unit tests of statusModel: status-bar texts, tooltips and Account rows for every state, and for a sign-in under way.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthState } from '../authState';
import type { AuthStatus } from '../protocol';
import { NO_SIGN_IN, SignInCommands, type SignInState, type SignInView, type ValidationState } from '../signIn';
import { accountRows, escapeMarkdown, INSTALL_URL, planName, statusBarView, withUsage } from '../statusModel';
import { apiKey, CHECKED_AT, fixedTime, max, oauthToken, signedOut } from './fixtures';
import { maxUsage, NOW } from './usageFixtures';

const view = (state: AuthState, signIn: SignInView = NO_SIGN_IN) => statusBarView(state, signIn, fixedTime);
const of = (status: AuthStatus): AuthState => ({ kind: 'status', status });

describe('status bar', () => {
  it('shows a spinner while checking', () => {
    assert.equal(view({ kind: 'checking' }).text, '$(sync~spin) Claude: checking…');
  });

  it('names the plan when signed in with a subscription', () => {
    const v = view(of(max));
    assert.equal(v.text, '$(account) Claude: Max');
    assert.equal(v.warning, false);
    const plans: [string, string][] = [['pro', 'Pro'], ['team', 'Team'], ['enterprise', 'Enterprise'], ['free', 'Free']];
    for (const [type, name] of plans) {
      assert.equal(view(of({ ...max, subscriptionType: type })).text, `$(account) Claude: ${name}`);
    }
  });

  it('names the credential when there is no plan', () => {
    assert.equal(view(of(apiKey)).text, '$(account) Claude: API key');
    assert.equal(view(of(oauthToken)).text, '$(account) Claude: Token');
    assert.equal(view(of({ ...apiKey, authMethod: 'something_new' })).text, '$(account) Claude: Signed in');
  });

  it('asks to sign in, with the warning background, when signed out', () => {
    const v = view(of(signedOut));
    assert.equal(v.text, '$(sign-in) Claude: Sign in');
    assert.equal(v.warning, true);
  });

  it('puts method, account, CLI and check time in the tooltip', () => {
    const t = view(of({ ...max, email: 'dev@example.com', orgName: 'Acme' })).tooltip;
    assert.ok(t.includes('Sign-in method: Claude account (claude.ai)'));
    assert.ok(t.includes('Account: dev@example.com · Acme'));
    assert.ok(t.includes('CLI: /home/dev/.local/bin/claude (2.1.329)'));
    assert.ok(t.includes(`Last checked: \\<${CHECKED_AT}\\>`));
    assert.doesNotMatch(view(of(max)).tooltip, /Account:/);
  });

  it('shows the last failure in the tooltip', () => {
    const t = view(of({ ...max, lastFailure: { message: '401 Unauthorized', source: 'agent', at: CHECKED_AT } })).tooltip;
    assert.match(t, /Last failure \(agent, .*\): 401 Unauthorized/);
  });

  it('links the install page and the claudePath setting when the CLI is missing', () => {
    const v = view({ kind: 'cliMissing', message: 'Claude Code was not found.', searched: ['/usr/bin'] });
    assert.equal(v.text, '$(warning) Claude CLI not found');
    assert.ok(v.tooltip.includes(`(${INSTALL_URL})`));
    assert.match(v.tooltip, /command:workbench\.action\.openSettings\?%5B%22grove\.claudePath%22%5D/);
    assert.deepEqual(v.trustedCommands, ['workbench.action.openSettings']);
  });

  it('asks to sign in again, with the warning background, after an auth failure', () => {
    const failure = { message: 'Invalid API key · Please run /login', source: 'agent' as const, at: CHECKED_AT };
    const v = view(of({ ...max, lastFailure: failure }));
    assert.equal(v.text, '$(warning) Claude: Sign in again');
    assert.equal(v.warning, true);
    assert.match(v.tooltip, /sign in again/);
    assert.equal(view(of({ ...signedOut, lastFailure: failure })).text, '$(warning) Claude: Sign in again');
  });

  it('just asks to sign in after a failed first sign-in', () => {
    const v = view(of({ ...signedOut, lastFailure: { message: 'OAuth error: Invalid code', source: 'login', at: CHECKED_AT } }));
    assert.equal(v.text, '$(sign-in) Claude: Sign in');
    assert.equal(v.warning, true);
  });

  it('shows a sign-in under way', () => {
    const signIn: SignInView = { ...NO_SIGN_IN, signIn: { kind: 'starting', method: 'console', cancelRequested: false } };
    const v = view(of(signedOut), signIn);
    assert.equal(v.text, '$(sync~spin) Claude: Signing in…');
    assert.equal(v.warning, false);
    assert.match(v.tooltip, /Anthropic Console/);
  });

  it('shows errors with their message as the tooltip', () => {
    const v = view({ kind: 'error', message: 'boom' });
    assert.equal(v.text, '$(error) Claude: error');
    assert.equal(v.tooltip, 'boom');
  });
});

describe('account rows', () => {
  const rows = (state: AuthState, signIn: SignInView = NO_SIGN_IN) => accountRows(state, signIn, fixedTime);

  it('says who is signed in, how, with which CLI, and when it was checked', () => {
    const r = rows(of({ ...max, email: 'dev@example.com' }));
    assert.deepEqual(
      r.map((row) => [row.label, row.description]),
      [
        ['Signed in · Claude Max', undefined],
        ['Method', 'Claude account (claude.ai)'],
        ['Account', 'dev@example.com'],
        ['CLI', '2.1.329 · /home/dev/.local/bin/claude'],
        ['Last checked', `<${CHECKED_AT}>`],
      ],
    );
    assert.equal(r[0]?.contextValue, 'grove.state.signedIn');
  });

  it('labels other sign-ins by their credential', () => {
    assert.equal(rows(of(apiKey))[0]?.label, 'Signed in · API key');
    assert.equal(rows(of({ ...apiKey, authMethod: 'other' }))[0]?.label, 'Signed in');
  });

  it('says "Not signed in" when signed out', () => {
    const r = rows(of(signedOut));
    assert.equal(r[0]?.label, 'Not signed in');
    assert.equal(r[0].contextValue, 'grove.state.signedOut');
  });

  it('offers to install the CLI or set its path when it is missing', () => {
    const r = rows({ kind: 'cliMissing', message: 'not found', searched: ['/usr/bin', '/bin'] });
    assert.equal(r[0]?.label, 'Claude CLI not found');
    assert.equal(r.find((row) => row.id === 'searched')?.description, '/usr/bin, /bin');
    assert.deepEqual(r.find((row) => row.id === 'install')?.action, { kind: 'openUrl', url: INSTALL_URL });
    assert.deepEqual(r.find((row) => row.id === 'setPath')?.action, { kind: 'openSetting', setting: 'grove.claudePath' });
  });

  it('offers Sign in when signed out, and shows how the last sign-in ended', () => {
    const signInRow = rows(of(signedOut)).find((row) => row.id === 'signIn');
    assert.deepEqual(signInRow?.action, { kind: 'command', command: SignInCommands.signIn, title: 'Sign In' });
    const cancelled = rows(of(signedOut), idleAfter({ success: false, error: 'cancelled' }));
    assert.deepEqual([cancelled[0]?.label, cancelled[0]?.description], ['Not signed in', 'Sign-in cancelled']);
    assert.equal(cancelled[0]?.contextValue, 'grove.state.signedOut');
    const failed = rows(of(signedOut), idleAfter({ success: false, error: 'OAuth error: Invalid code' }));
    assert.equal(failed[0]?.description, 'Sign-in failed: OAuth error: Invalid code');
    assert.equal(rows(of(signedOut), idleAfter({ success: true, error: null }))[0]?.description, undefined);
  });

  it('shows the last failure with its source and time, and asks to sign in again', () => {
    const lastFailure = { message: 'Invalid API key · Please run /login', source: 'agent' as const, at: CHECKED_AT };
    const r = rows(of({ ...max, lastFailure }));
    assert.deepEqual([r[0]?.label, r[0]?.description, r[0]?.contextValue], ['Sign in again', lastFailure.message, 'grove.state.signInAgain']);
    assert.equal(r[1]?.id, 'signIn');
    assert.equal(r.find((row) => row.id === 'failure')?.description, `Agent run · <${CHECKED_AT}> · ${lastFailure.message}`);
  });

  it('shows a starting sign-in with Cancel', () => {
    const r = rows(of(signedOut), during({ kind: 'starting', method: 'claudeai', cancelRequested: false }));
    assert.deepEqual(
      r.slice(0, 2).map((row) => [row.label, row.description, row.contextValue]),
      [
        ['Starting sign-in…', 'Claude subscription', 'grove.state.signingIn'],
        ['Cancel sign-in', undefined, 'grove.login.cancel'],
      ],
    );
    assert.ok(!r.some((row) => row.id === 'signIn' || row.label === 'Not signed in'));
  });

  it('shows the progress lines, the link, the code box and Cancel of a running sign-in', () => {
    const url = 'https://claude.com/cai/oauth/authorize?code=true&state=abc';
    const running: SignInState = {
      kind: 'running',
      loginId: 'login-1',
      method: 'claudeai',
      lines: [
        { stream: 'stdout', line: 'Opening browser to sign in…', url: null },
        { stream: 'stdout', line: `If the browser didn't open, visit: ${url}`, url },
        { stream: 'stderr', line: 'odd', url: null },
      ],
      url,
      codeSent: false,
      cancelling: false,
    };
    const r = rows(of(signedOut), during(running));
    assert.deepEqual(
      r.slice(0, 7).map((row) => [row.id, row.label, row.icon]),
      [
        ['state', 'Signing in…', 'sync~spin'],
        ['line-0', 'Opening browser to sign in…', 'output'],
        ['line-1', `If the browser didn't open, visit: ${url}`, 'output'],
        ['line-2', 'odd', 'warning'],
        ['url', 'Open in browser', 'link-external'],
        ['paste', 'Paste code…', 'clippy'],
        ['cancel', 'Cancel sign-in', 'close'],
      ],
    );
    assert.equal(r.find((row) => row.id === 'url')?.description, url);
    assert.deepEqual(r.find((row) => row.id === 'paste')?.action, { kind: 'command', command: SignInCommands.pasteCode, title: 'Paste Code' });
    // The account's details follow.
    assert.ok(r.some((row) => row.id === 'cli'));
    assert.equal(rows(of(signedOut), during({ ...running, codeSent: true }))[0]?.label, 'Checking the code…');
    assert.equal(rows(of(signedOut), during({ ...running, cancelling: true }))[0]?.label, 'Cancelling sign-in…');
    assert.ok(!rows(of(signedOut), during({ ...running, url: null })).some((row) => row.id === 'url'));
  });

  it('shows the credentials check when signed in', () => {
    const check = (validation: ValidationState, status: AuthStatus = max) => rows(of(status), { ...NO_SIGN_IN, validation }).find((row) => row.id === 'validation');
    assert.equal(check({ kind: 'running' })?.label, 'Checking credentials…');
    const later = '2026-11-21T11:00:00.000Z';
    assert.deepEqual([check({ kind: 'done', ok: true, message: null, at: later })?.label, check({ kind: 'done', ok: true, message: null, at: later })?.description], [
      'Credentials work',
      `checked <${later}>`,
    ]);
    assert.equal(check({ kind: 'done', ok: false, message: 'offline', at: later })?.description, `<${later}> · offline`);
    // A failure recorded after a good check hides it.
    const failed = { ...max, lastFailure: { message: 'm', source: 'agent' as const, at: '2026-11-21T12:00:00.000Z' } };
    assert.equal(check({ kind: 'done', ok: true, message: null, at: later }, failed), undefined);
    assert.equal(check({ kind: 'running' }, signedOut), undefined);
    const recorded = { ...max, lastFailure: { message: 'offline', source: 'validate' as const, at: later } };
    assert.equal(check({ kind: 'done', ok: false, message: 'offline', at: later }, recorded), undefined);
  });

  it('has unique ids', () => {
    const r = rows(of({ ...max, email: 'e', lastFailure: { message: 'm', source: 'login', at: CHECKED_AT } }));
    assert.equal(new Set(r.map((row) => row.id)).size, r.length);
  });
});

function idleAfter(last: { success: boolean; error: string | null }): SignInView {
  return { ...NO_SIGN_IN, signIn: { kind: 'idle', last } };
}

function during(signIn: SignInState): SignInView {
  return { ...NO_SIGN_IN, signIn };
}

describe('helpers', () => {
  it('capitalizes unknown plans', () => {
    assert.equal(planName('max'), 'Max');
    assert.equal(planName('ultra'), 'Ultra');
  });

  it('escapes markdown', () => {
    assert.equal(escapeMarkdown('a_b*[c](d) <x>'), 'a\\_b\\*\\[c\\](d) \\<x\\>');
  });
});

describe('status bar with usage insights', () => {
  it('adds the 5-hour window to the tooltip', () => {
    const base = view(of(max));
    const v = withUsage(base, maxUsage, NOW);
    assert.equal(v.text, base.text);
    assert.ok(v.tooltip.startsWith(base.tooltip));
    assert.ok(v.tooltip.endsWith('  \n  \nSession (5h): 39% · resets in 2 h 14 min'), v.tooltip);
  });

  it('marks a stale answer', () => {
    assert.match(withUsage(view(of(max)), { ...maxUsage, stale: true }, NOW).tooltip, /resets in 2 h 14 min \(stale\)$/);
  });

  it('changes nothing without an answer (usage insights off) or without a 5-hour window', () => {
    const base = view(of(max));
    assert.deepEqual(withUsage(base, undefined, NOW), base);
    assert.deepEqual(withUsage(base, { ...maxUsage, windows: maxUsage.windows.slice(1) }, NOW), base);
  });

  it('escapes the label for markdown', () => {
    const odd = { ...maxUsage, windows: [{ id: 'five_hour', label: 'Session *5h*', utilization: 1, resetsAt: null }] };
    assert.match(withUsage(view(of(max)), odd, NOW).tooltip, /Session \\\*5h\\\*: 1%$/);
  });
});
