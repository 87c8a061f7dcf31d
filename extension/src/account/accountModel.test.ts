// Unit tests of accountModel: status-bar texts, tooltips and Account rows for every state, and for a sign-in under way.
import { Commands } from '../common/commands';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthState } from './accountState';
import type { AuthStatus } from '../common/protocol';
import { NO_SIGN_IN, type SignInState, type SignInView, type ValidationState } from './signIn';
import { AGENTS, agent, TERMINAL_AGENT } from '../agentClis/agentCliFixtures';
import {
  AGENT_CLIS_LABEL,
  agentCliRows,
  accountRows,
  authContext,
  escapeMarkdown,
  INSTALL_URL,
  isSubscription,
  planName,
  relativeTime,
  statusBarView,
  withActiveProfile,
  withUsage,
} from './accountModel';
import { listing } from '../profiles/profilesFixtures';
import { apiKey, CHECKED_AT, fixedTime, max, oauthToken, signedOut } from './accountFixtures';
import { maxUsage, NOW } from '../usage/usageFixtures';

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
    const plans: [string, string][] = [
      ['pro', 'Pro'],
      ['team', 'Team'],
      ['enterprise', 'Enterprise'],
      ['free', 'Free'],
    ];
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
    // Grove's own command, which opens the setting on the right settings tab (local or remote).
    assert.match(v.tooltip, /\[`grove\.claudePath`\]\(command:grove\.setClaudePath\)/);
    assert.deepEqual(v.trustedCommands, ['grove.setClaudePath']);
  });

  it('asks to sign in again, with the warning background, after an auth failure', () => {
    const failure = { message: 'Invalid API key · Please run /login', source: 'agent' as const, at: CHECKED_AT };
    const v = view(of({ ...max, lastFailure: failure }));
    assert.equal(v.text, '$(warning) Claude: Sign in again');
    assert.equal(v.warning, true);
    assert.match(v.tooltip, /sign in again/);
  });

  it('never says "again" to someone who is not signed in, even with a recorded "Not logged in"', () => {
    const failure = { message: 'Not logged in · Please run /login', source: 'agent' as const, at: CHECKED_AT };
    const v = view(of({ ...signedOut, lastFailure: failure }));
    assert.equal(v.text, '$(sign-in) Claude: Sign in');
    assert.doesNotMatch(v.tooltip, /again/);
  });

  it('says "Signed out" after a sign-out in this window', () => {
    const v = view({ kind: 'status', status: signedOut, signedOut: true });
    assert.equal(v.text, '$(sign-in) Claude: Signed out');
    assert.match(v.tooltip, /signed out/);
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
    // Short words first on each row; the sentence in the tooltip.
    assert.deepEqual(
      r.slice(0, 4).map((row) => row.tooltip),
      [
        'Signed in to Claude (Max plan) with Claude account (claude.ai) as dev@example.com',
        'Sign-in method: Claude account (claude.ai)',
        'dev@example.com',
        '/home/dev/.local/bin/claude (2.1.329)',
      ],
    );
    for (const row of r) assert.ok(row.label.length <= 22, row.label);
    assert.equal(rows(of(apiKey))[0]?.tooltip, 'Signed in to Claude with API key');
  });

  it('labels other sign-ins by their credential', () => {
    assert.equal(rows(of(apiKey))[0]?.label, 'Signed in · API key');
    assert.equal(rows(of({ ...apiKey, authMethod: 'other' }))[0]?.label, 'Signed in');
  });

  it('has no rows when simply not signed in: the welcome view shows its one button', () => {
    assert.deepEqual(rows(of(signedOut)), []);
    assert.deepEqual(rows(of({ ...signedOut, lastFailure: { message: 'Not logged in', source: 'agent', at: CHECKED_AT } })), []);
    assert.deepEqual(rows({ kind: 'status', status: signedOut, signedOut: true }), []);
  });

  it('offers to install the CLI or set its path when it is missing', () => {
    const r = rows({ kind: 'cliMissing', message: 'not found', searched: ['/usr/bin', '/bin'] });
    assert.equal(r[0]?.label, 'Claude CLI not found');
    assert.equal(r.find((row) => row.id === 'searched')?.description, '/usr/bin, /bin');
    assert.deepEqual(r.find((row) => row.id === 'install')?.action, { kind: 'openUrl', url: INSTALL_URL });
    assert.deepEqual(r.find((row) => row.id === 'setPath')?.action, { kind: 'command', command: 'grove.setClaudePath', title: 'Set Claude CLI Path' });
  });

  it('shows how the last sign-in ended in plain words, with Sign in and Show output', () => {
    const cancelled = rows(of(signedOut), idleAfter({ success: false, error: 'cancelled' }));
    assert.deepEqual([cancelled[0]?.label, cancelled[0]?.description], ['Not signed in', 'Sign-in cancelled.']);
    assert.equal(cancelled[0]?.contextValue, 'grove.state.signedOut');
    assert.deepEqual(cancelled.find((row) => row.id === 'signIn')?.action, { kind: 'command', command: Commands.signIn, title: 'Sign In' });
    assert.deepEqual(cancelled.find((row) => row.id === 'output')?.action, { kind: 'command', command: 'grove.showLogs', title: 'Show Output' });
    const failed = rows(of(signedOut), idleAfter({ success: false, error: 'OAuth error: Invalid code' }));
    assert.match(failed[0]?.description ?? '', /^Claude did not accept the code/);
    const offline = rows({ kind: 'status', status: signedOut, signedOut: true }, idleAfter({ success: false, error: 'getaddrinfo ENOTFOUND claude.ai' }));
    assert.deepEqual(
      [offline[0]?.label, offline[0]?.description],
      ['Signed out', 'The sign-in could not reach Claude: this computer seems to be offline, or its DNS does not answer.'],
    );
    assert.deepEqual(rows(of(signedOut), idleAfter({ success: true, error: null })), []);
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
      r.slice(0, 2).map((row) => [row.label, row.tooltip, row.contextValue]),
      [
        ['Starting sign-in…', 'Starting the sign-in (claude auth login).\nSign-in method: Claude subscription', 'grove.state.signingIn'],
        ['Cancel sign-in', undefined, 'grove.login.cancel'],
      ],
    );
    assert.ok(!r.some((row) => row.id === 'signIn' || row.label === 'Not signed in'));
  });

  it('shows what to do during a running sign-in (the link, copy, paste, output, cancel), not the raw CLI lines', () => {
    const url = 'https://claude.com/cai/oauth/authorize?code=true&state=abc';
    const running: SignInState = {
      kind: 'running',
      loginId: 'login-1',
      method: 'claudeai',
      lines: [
        { stream: 'stdout', line: 'Opening browser to sign in…', url: null },
        { stream: 'stdout', line: `If the browser didn't open, visit: ${url}`, url },
        { stream: 'stdout', line: 'Paste code here if prompted > ', url: null },
      ],
      url,
      codeSent: false,
      cancelling: false,
    };
    const r = rows(of(signedOut), during(running));
    assert.deepEqual(
      r.map((row) => [row.id, row.label, row.icon]),
      [
        ['state', 'Waiting for the code', 'sync~spin'],
        ['url', 'Open in browser', 'link-external'],
        ['copy', 'Copy link', 'copy'],
        ['paste', 'Paste code…', 'clippy'],
        ['output', 'Show output', 'output'],
        ['cancel', 'Cancel sign-in', 'close'],
      ],
    );
    assert.equal(r.find((row) => row.id === 'url')?.description, url);
    // The word that matters on the row, whole at the default sidebar width ("Approve the sign-in in
    // your browser, then paste the code" was cut); the sentence and the method in its tooltip.
    assert.equal(r[0]?.description, undefined);
    assert.equal(r[0]?.tooltip, 'Approve the sign-in in your browser, then paste the code the page shows.\nSign-in method: Claude subscription');
    // Only the link's row has words after its label (its address); the others' are in their tooltips.
    assert.deepEqual(
      r.filter((row) => row.description !== undefined).map((row) => row.id),
      ['url'],
    );
    assert.ok(r.every((row) => row.id === 'cancel' || row.tooltip !== undefined));
    const views = [running, { ...running, codeSent: true }, { ...running, cancelling: true }, { ...running, url: null }];
    for (const view of [...views, { kind: 'starting', method: 'claudeai', cancelRequested: false } as const]) {
      const head = rows(of(signedOut), during(view))[0];
      assert.ok(head && head.label.length <= 22, head?.label);
      assert.ok(head.tooltip !== undefined && head.tooltip.length > head.label.length, head.tooltip);
    }
    assert.deepEqual(r.find((row) => row.id === 'paste')?.action, { kind: 'command', command: Commands.pasteSignInCode, title: 'Paste Code' });
    // Signed in already (switching accounts): the account's details follow.
    assert.ok(rows(of(max), during(running)).some((row) => row.id === 'cli'));
    assert.equal(rows(of(signedOut), during({ ...running, codeSent: true }))[0]?.label, 'Checking the code…');
    assert.equal(rows(of(signedOut), during({ ...running, cancelling: true }))[0]?.label, 'Cancelling sign-in…');
    const noLink = rows(of(signedOut), during({ ...running, url: null }));
    assert.equal(noLink[0]?.label, 'Signing in…');
    assert.ok(!noLink.some((row) => row.id === 'url' || row.id === 'copy'));
  });

  it('shows the credentials check when signed in', () => {
    const check = (validation: ValidationState, status: AuthStatus = max) =>
      rows(of(status), { ...NO_SIGN_IN, validation }).find((row) => row.id === 'validation');
    assert.equal(check({ kind: 'running' })?.label, 'Checking credentials…');
    const later = '2026-11-21T11:00:00.000Z';
    assert.deepEqual(
      [check({ kind: 'done', ok: true, message: null, at: later })?.label, check({ kind: 'done', ok: true, message: null, at: later })?.description],
      ['Credentials work', `checked <${later}>`],
    );
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

describe('relativeTime', () => {
  const now = new Date('2026-11-21T12:00:00.000Z');
  it('says how long ago, in words', () => {
    assert.equal(relativeTime('2026-11-21T11:59:40.000Z', now), 'just now');
    assert.equal(relativeTime('2026-11-21T11:58:50.000Z', now), '1 min ago');
    assert.equal(relativeTime('2026-11-21T11:48:00.000Z', now), '12 min ago');
    assert.equal(relativeTime('2026-11-21T09:00:00.000Z', now), '3 h ago');
    assert.equal(relativeTime('2026-11-20T10:00:00.000Z', now), 'yesterday');
    assert.equal(relativeTime('2026-11-17T12:00:00.000Z', now), '4 days ago');
    assert.equal(relativeTime('not a time', now), 'not a time');
  });
});

describe('authContext', () => {
  it('names the state for when clauses', () => {
    assert.equal(authContext({ kind: 'checking' }), 'checking');
    assert.equal(authContext(of(max)), 'signedIn');
    assert.equal(authContext(of({ ...max, lastFailure: { message: 'm', source: 'agent', at: CHECKED_AT } })), 'signInAgain');
    assert.equal(authContext(of({ ...signedOut, lastFailure: { message: 'Not logged in', source: 'agent', at: CHECKED_AT } })), 'notSignedIn');
    assert.equal(authContext({ kind: 'status', status: signedOut, signedOut: true }), 'signedOut');
    assert.equal(authContext(of(signedOut), during({ kind: 'starting', method: 'claudeai', cancelRequested: false })), 'signingIn');
    assert.equal(authContext({ kind: 'cliMissing', message: 'm', searched: [] }), 'cliMissing');
  });

  it('knows a subscription', () => {
    assert.equal(isSubscription(max), true);
    assert.equal(isSubscription(apiKey), false);
    assert.equal(isSubscription(signedOut), false);
  });
});

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

describe('status bar with profiles', () => {
  it('names the profile new runs use, once the profiles are known', () => {
    const base = statusBarView({ kind: 'status', status: max }, NO_SIGN_IN, fixedTime);
    assert.match(withActiveProfile(base, listing()).tooltip, / {2}\n {2}\nNew runs use anthropic:work$/);
    assert.equal(withActiveProfile(base, undefined), base);
    assert.match(withActiveProfile(base, listing({ active: null })).tooltip, /New runs have no usable profile$/);
  });
});

describe('the agent CLIs', () => {
  it('lists every agent of the registry under one row: found with its version, its path in the tooltip', () => {
    const [head] = agentCliRows(AGENTS, false);
    assert.equal(head?.label, AGENT_CLIS_LABEL);
    assert.equal(head.description, '2 found');
    assert.deepEqual(
      head.children?.map((r) => [r.label, r.description, r.icon, r.children]),
      [
        ['Claude Code', '2.1.329 (Claude Code)', 'check', undefined],
        ['Codex', 'codex-cli 0.46.0', 'check', undefined],
      ],
    );
    assert.equal(head.children[0]?.tooltip, 'Claude Code 2.1.329 (Claude Code)\n/home/dev/.local/bin/claude\nSigned in: a@b.c');
    assert.deepEqual(agentCliRows([], false), []);
  });

  it('offers "Sign In…" below a found agent that signs in only in a terminal, which runs its own sign-in', () => {
    const [head] = agentCliRows([...AGENTS, TERMINAL_AGENT], false);
    const row = head?.children?.[2];
    assert.deepEqual([row?.label, row?.description], ['Gemini CLI', '0.61.0']);
    const signIn = row?.children?.[0];
    assert.equal(signIn?.label, 'Sign In…');
    assert.match(signIn.tooltip ?? '', /^Runs Gemini CLI's own sign-in in a terminal; Grove notices when it is done\.$/);
    assert.deepEqual(signIn.action, { kind: 'command', command: 'grove.signIn', title: 'Sign In', arguments: [{ agent: 'gemini' }] });
    // Its command line unknown (not found): no "Sign In…" (the row says how to install it instead).
    const unknown = { ...TERMINAL_AGENT, signIn: { status: 'unknown', methods: TERMINAL_AGENT.signIn.methods } };
    assert.equal(agentCliRows([unknown], false)[0]?.children?.[0]?.children, undefined);
  });

  it('shows an agent not found with its install hint and "Set path…", which opens its setting (the Remote tab in a remote window)', () => {
    const missing = agent(1, { found: false });
    delete missing.path;
    delete missing.version;
    const [head] = agentCliRows([AGENTS[0] ?? missing, missing], false);
    assert.equal(head?.description, '1 of 2 found');
    const row = head.children?.[1];
    assert.deepEqual([row?.label, row?.description, row?.icon, row?.tooltip], ['Codex', 'not found', 'warning', missing.installHint]);
    assert.deepEqual(
      row?.children?.map((r) => r.label),
      [missing.installHint, 'Set path…'],
    );
    assert.deepEqual(row.children[1]?.action, {
      kind: 'command',
      command: 'workbench.action.openSettings',
      title: 'Set Path',
      arguments: [{ query: '@id:grove.codexPath' }],
    });
    const remote = agentCliRows([missing], true)[0]?.children?.[0]?.children?.[1]?.action;
    assert.equal(remote?.kind === 'command' ? remote.command : undefined, 'workbench.action.openRemoteSettings');
  });
});
