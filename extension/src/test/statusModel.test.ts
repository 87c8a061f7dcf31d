// Unit tests of statusModel: status-bar texts, tooltips and Account rows for every state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthState } from '../authState';
import type { AuthStatus } from '../protocol';
import { accountRows, escapeMarkdown, INSTALL_URL, planName, statusBarView } from '../statusModel';
import { apiKey, CHECKED_AT, fixedTime, max, oauthToken, signedOut } from './fixtures';

const view = (state: AuthState) => statusBarView(state, fixedTime);
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

  it('shows errors with their message as the tooltip', () => {
    const v = view({ kind: 'error', message: 'boom' });
    assert.equal(v.text, '$(error) Claude: error');
    assert.equal(v.tooltip, 'boom');
  });
});

describe('account rows', () => {
  const rows = (state: AuthState) => accountRows(state, fixedTime);

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

  it('has unique ids', () => {
    const r = rows(of({ ...max, email: 'e', lastFailure: { message: 'm', source: 'login', at: CHECKED_AT } }));
    assert.equal(new Set(r.map((row) => row.id)).size, r.length);
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
