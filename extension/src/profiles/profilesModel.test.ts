// Unit tests of what the editor shows of auth profiles: grouping and order, icons and words, rows and their context values, reordering, expiry alerts once per session, and the import offer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { profileContextValues } from '../common/commands';
import {
  activeProfileLine,
  clockTime,
  expiryMessage,
  ExpiryAlerts,
  fromNow,
  groupProfiles,
  importOffer,
  isBuiltInProfile,
  offersSignIn,
  profileTypeWords,
  importResult,
  moveInOrder,
  orderedIds,
  profileContextValue,
  profileDescription,
  profileIdFromArg,
  profileRows,
  profilePicks,
  profileTooltip,
  providerFromArg,
  showsProfiles,
  STATUS_ICONS,
  workspaceProfilePicks,
  NO_PROFILE_LABEL,
} from './profilesModel';
import { CLI, GATEWAY, KEY, listing, OLLAMA, profile, WORK } from './profilesFixtures';
import type { ProfileStatus } from '../common/protocol';
import { ProfileStore } from './profileStore';
import { AgentCliStore } from '../agentClis/agentCliStore';
import { AGENTS } from '../agentClis/agentCliFixtures';

/** The agent CLIs as the sidecar lists them: provider order, names, icons, own sign-ins. */
const CLIS = new AgentCliStore(AGENTS);

const NOW = new Date('2026-11-21T10:00:00Z');
const fixed = (t: string): string => `<${t}>`;

describe('grouping and order', () => {
  it("lists providers in the agents' order and each provider in its order, unnamed ones after by id", () => {
    const groups = groupProfiles(listing(), CLIS);
    assert.deepEqual(
      groups.map((g) => g.label),
      ['Anthropic', 'Ollama', 'Anthropic-compatible gateways'],
    );
    assert.deepEqual(
      groups[0]?.profiles.map((p) => p.id),
      ['anthropic:work', 'anthropic:claude-cli', 'anthropic:key'],
    );
    assert.deepEqual(orderedIds(listing(), 'anthropic'), ['anthropic:work', 'anthropic:claude-cli', 'anthropic:key']);
    assert.deepEqual(orderedIds(listing(), 'nobody'), []);
  });

  it('puts unknown providers last, by name', () => {
    const groups = groupProfiles(listing({ profiles: [profile({ id: 'zeta:a' }), profile({ id: 'alpha:a' }), CLI] }), CLIS);
    assert.deepEqual(
      groups.map((g) => g.provider),
      ['anthropic', 'alpha', 'zeta'],
    );
    // Before the sidecar lists its agents: every provider by name, under its own name.
    assert.deepEqual(
      groupProfiles(listing()).map((g) => g.label),
      ['anthropic', 'anthropic-compatible', 'ollama'],
    );
  });

  it('moves a profile one place up or down, and not past either end', () => {
    const ids = ['a:1', 'a:2', 'a:3'];
    assert.deepEqual(moveInOrder(ids, 'a:2', -1), ['a:2', 'a:1', 'a:3']);
    assert.deepEqual(moveInOrder(ids, 'a:2', 1), ['a:1', 'a:3', 'a:2']);
    assert.equal(moveInOrder(ids, 'a:1', -1), undefined);
    assert.equal(moveInOrder(ids, 'a:3', 1), undefined);
    assert.equal(moveInOrder(ids, 'a:9', 1), undefined);
  });
});

describe('icons, words and rows', () => {
  it('has an icon for every status, coloured where it matters', () => {
    const statuses: ProfileStatus[] = ['ok', 'expiring', 'expired', 'static', 'missing', 'cooldown', 'unreachable', 'checking', 'unusable'];
    assert.deepEqual(
      statuses.map((s) => STATUS_ICONS[s].icon),
      ['pass', 'warning', 'error', 'key', 'circle-slash', 'clock', 'debug-disconnect', 'loading~spin', 'warning'],
    );
    assert.equal(STATUS_ICONS.expired.color, 'list.errorForeground');
  });

  it('shows the CLI sign-in being checked with a spinner and "checking…", not as missing', () => {
    const checking = { ...CLI, status: 'checking' as const, detail: "Checking the claude CLI's sign-in…" };
    const list = listing({ profiles: [checking], order: { anthropic: [CLI.id] }, active: CLI.id });
    const row = profileRows(list, CLIS, NOW, fixed)[0]?.children?.[0];
    assert.ok(row);
    assert.equal(row.icon, 'loading~spin');
    assert.equal(row.iconColor, undefined);
    assert.equal(row.description, 'checking…');
    assert.match(row.tooltip ?? '', /Status: checking… \(Checking the claude CLI's sign-in…\)/);
  });

  it('lists an entry Grove cannot run as unusable, with why, and never offers it for runs', () => {
    const why = 'Its type "passkey" is not one this Grove knows (a newer Grove may have written it); Grove keeps it as it is and never uses it.';
    const odd = profile({ id: 'anthropic:future', type: 'unknown', status: 'unusable', detail: why });
    const list = listing({ profiles: [CLI, odd], order: { anthropic: [CLI.id, odd.id] }, active: CLI.id });
    const row = profileRows(list, CLIS, NOW, fixed)[0]?.children?.[1];
    assert.ok(row);
    assert.equal(row.icon, 'warning');
    assert.equal(row.iconColor, 'list.warningForeground');
    // The word on the row, why in the tooltip.
    assert.equal(row.description, 'unusable');
    assert.ok(row.tooltip?.includes(why));
    assert.match(row.tooltip ?? '', /Provider: Anthropic · unknown type/);
    assert.match(row.contextValue, /removable/);
    assert.deepEqual(
      workspaceProfilePicks(list, undefined).map((p) => p.profile),
      [null, CLI.id],
    );
  });

  it("puts the status word first and short, the sidecar's sentence in the tooltip (rows cut at the default sidebar width)", () => {
    assert.equal(profileDescription(WORK, NOW), 'expiring in 4 h');
    const cooling = profile({ id: 'anthropic:x', status: 'cooldown', cooldownUntil: new Date(2026, 10, 21, 10, 42).toISOString() });
    assert.equal(profileDescription(cooling, new Date(2026, 10, 21, 10, 0)), 'cooling down until 10:42');
    // "ok · The cl…" was all a user saw of the CLI's row.
    assert.equal(profileDescription({ ...CLI, detail: 'Signed in to the claude CLI as someone@example.com' }, NOW), 'ok');
    assert.match(
      profileTooltip({ ...CLI, detail: 'Signed in to the claude CLI as someone@example.com' }, null, CLIS, fixed),
      /Status: ok \(Signed in to the claude CLI as someone@example\.com\)/,
    );
    assert.equal(profileDescription(OLLAMA, NOW), 'ok · 127.0.0.1:11434');
    assert.equal(profileDescription({ ...OLLAMA, status: 'static', detail: 'http://127.0.0.1:11434 · 2 models' }, NOW), 'no expiry · 127.0.0.1:11434');
    assert.equal(profileDescription({ ...GATEWAY, baseUrl: 'https://gw.example.com/' }, NOW), 'unreachable · gw.example.com');
    assert.equal(profileDescription(profile({ id: 'a:b', status: 'expired', expiresAt: '2026-11-21T08:00:00Z' }), NOW), 'expired 2 h ago');
    assert.equal(
      profileDescription(profile({ id: 'a:b', status: 'ok', expiresAt: '2026-11-21T11:00:00Z', detail: 'Renewed automatically' }), NOW),
      'ok · expires in 1 h',
    );
    assert.equal(profileDescription(profile({ id: 'a:b', status: 'missing', detail: 'Its secret is missing: add the profile again.' }), NOW), 'missing');
    assert.equal(profileDescription(KEY, NOW), 'no expiry');
    // Each status's word is at most 12 characters.
    const statuses = ['ok', 'expiring', 'expired', 'static', 'missing', 'cooldown', 'unreachable', 'checking', 'unusable'] as const;
    for (const status of statuses) assert.ok(profileDescription(profile({ id: 'a:b', status }), NOW).length <= 12, status);
    // A quick pick has room for the sentence.
    assert.equal(profilePicks(listing()).find((p) => p.id === CLI.id)?.detail, 'Signed in as a@b.c');
  });

  it('formats clock times and distances', () => {
    assert.equal(clockTime(new Date(2026, 0, 2, 9, 5).toISOString(), new Date(2026, 0, 2, 8, 0)), '09:05');
    assert.match(clockTime(new Date(2026, 0, 3, 9, 5).toISOString(), new Date(2026, 0, 2, 8, 0)), / 09:05$/);
    assert.equal(fromNow('2026-11-21T10:30:00Z', NOW), 'in 30 min');
    assert.equal(fromNow('2026-11-24T10:00:00Z', NOW), 'in 3 days');
    assert.equal(fromNow('nonsense', NOW), 'nonsense');
  });

  it('puts everything known in the tooltip, the last failure too', () => {
    const failed = profile({
      id: 'anthropic:work',
      lastFailure: { message: '401 invalid token', at: '2026-11-21T09:00:00Z' },
      lastUsed: '2026-11-21T08:00:00Z',
    });
    const tip = profileTooltip(failed, 'anthropic:work', CLIS, fixed);
    assert.match(tip, /^anthropic:work\nProvider: Anthropic · setup token\nStatus: ok/);
    assert.match(tip, /Last used: <2026-11-21T08:00:00Z>/);
    assert.match(tip, /Last failure \(<2026-11-21T09:00:00Z>\): 401 invalid token/);
    assert.match(tip, /New runs use this profile\./);
    assert.match(profileTooltip(OLLAMA, null, CLIS, fixed), /Models: qwen3-coder, llama3/);
  });

  it('makes one row per provider with its profiles below, each with flags for its menus', () => {
    const rows = profileRows(listing(), CLIS, NOW, fixed);
    assert.deepEqual(
      rows.map((r) => [r.label, r.description]),
      [
        ['Anthropic', '3 profiles'],
        ['Ollama', '1 profile'],
        ['Anthropic-compatible gateways', '1 profile'],
      ],
    );
    const anthropic = rows[0]?.children ?? [];
    assert.deepEqual(
      anthropic.map((r) => [r.label, r.icon, r.contextValue]),
      [
        ['work (new runs)', 'warning', 'grove.profile.removable.down'],
        ['claude-cli', 'pass', 'grove.profile.up.down'],
        ['key', 'key', 'grove.profile.removable.up'],
      ],
    );
    assert.equal(anthropic[0]?.profileId, 'anthropic:work');
    assert.equal(rows[2]?.children?.[0]?.icon, 'debug-disconnect');
    // Every value a row gets is one package.json's menus know of.
    const known = profileContextValues();
    for (const row of rows.flatMap((r) => r.children ?? [])) assert.ok(known.includes(row.contextValue), row.contextValue);
    assert.equal(profileContextValue(GATEWAY, 0, 1, CLIS), 'grove.profile.removable');
  });

  it('lists profiles once signed in, or when there are any besides the built-in one', () => {
    assert.equal(showsProfiles(undefined, true, CLIS), false);
    assert.equal(showsProfiles(listing({ profiles: [CLI] }), false, CLIS), false);
    assert.equal(showsProfiles(listing({ profiles: [CLI] }), true, CLIS), true);
    assert.equal(showsProfiles(listing(), false, CLIS), true);
  });

  it('names the profile of new runs for the status bar', () => {
    assert.equal(activeProfileLine(listing()), 'New runs use anthropic:work');
    assert.equal(activeProfileLine(listing({ active: null })), 'New runs have no usable profile');
    assert.equal(activeProfileLine(undefined), undefined);
  });

  it('reads a profile or a provider from command arguments', () => {
    assert.equal(profileIdFromArg({ profileId: 'ollama:local', provider: 'ollama' }), 'ollama:local');
    assert.equal(profileIdFromArg('anthropic:work'), 'anthropic:work');
    assert.equal(profileIdFromArg({ provider: 'ollama' }), undefined);
    assert.equal(profileIdFromArg(undefined), undefined);
    assert.equal(providerFromArg({ provider: 'ollama' }), 'ollama');
    assert.equal(providerFromArg('ollama'), undefined);
  });
});

describe('expiry alerts', () => {
  it('tells once per profile and status in a session', () => {
    const alerts = new ExpiryAlerts();
    assert.deepEqual(
      alerts.check(listing()).map((p) => p.id),
      ['anthropic:work'],
    );
    assert.deepEqual(alerts.check(listing()), []);
    // The same profile, now expired: once more.
    const expired = { ...WORK, status: 'expired' as const };
    assert.deepEqual(
      alerts.check(listing({ profiles: [expired, CLI] })).map((p) => `${p.id} ${p.status}`),
      ['anthropic:work expired'],
    );
    assert.deepEqual(alerts.check(listing({ profiles: [expired, CLI] })), []);
    // Back to expiring (replaced, then expiring again later): already told in this session.
    assert.deepEqual(alerts.check(listing()), []);
  });

  it('says what expires and when, never more', () => {
    assert.equal(
      expiryMessage(WORK, CLIS, NOW),
      'Grove: the setup token of profile anthropic:work expires soon (expires in 4 h). Replace it to keep agents running with it.',
    );
    assert.match(expiryMessage({ ...WORK, status: 'expired', expiresAt: '2026-11-21T09:00:00Z' }, CLIS, NOW), /has expired \(expired 1 h ago\)/);
  });
});

describe('import', () => {
  it('offers once, when there is something to import', () => {
    assert.equal(importOffer(listing({ importable: ['anthropic:a', 'ollama:b'] }), false), 'Import 2 profiles from CoderClaw/OpenClaw?');
    assert.equal(importOffer(listing({ importable: ['anthropic:a'] }), false), 'Import 1 profile from CoderClaw/OpenClaw?');
    assert.equal(importOffer(listing({ importable: ['anthropic:a'] }), true), undefined);
    assert.equal(importOffer(listing(), false), undefined);
  });

  it('says what was imported and skipped', () => {
    assert.equal(importResult(['anthropic:a'], ['anthropic:b']), 'Grove imported anthropic:a; skipped anthropic:b (Grove has them already).');
    assert.equal(importResult([], []), 'Grove imported no profiles.');
    assert.equal(
      importResult(['anthropic:a'], ['anthropic:b', 'anthropic-compatible:f'], {
        'anthropic:b': 'Grove has a profile with this id already.',
        'anthropic-compatible:f': 'The endpoint must be an http:// or https:// URL.',
      }),
      'Grove imported anthropic:a; skipped anthropic:b (Grove has a profile with this id already), anthropic-compatible:f (The endpoint must be an http:// or https:// URL).',
    );
  });
});

describe('workspace default profile', () => {
  it('offers none first, then every profile, the current one marked', () => {
    const picks = workspaceProfilePicks(listing(), 'ollama:local', CLIS);
    assert.deepEqual(picks[0], { label: NO_PROFILE_LABEL, description: 'the first usable profile', profile: null });
    assert.deepEqual(
      picks.slice(1).map((p) => p.profile),
      ['anthropic:work', 'anthropic:claude-cli', 'anthropic:key', 'ollama:local', 'anthropic-compatible:corp'],
    );
    assert.match(picks.find((p) => p.profile === 'ollama:local')?.description ?? '', /^current · Ollama · ok$/);
    assert.equal(workspaceProfilePicks(listing(), undefined)[0]?.description, 'current');
  });
});

describe('ProfileStore', () => {
  it('keeps the latest listing; a notification during a request wins over its answer', async () => {
    const store = new ProfileStore();
    const seen: (string | null)[] = [];
    store.onDidChange((l) => seen.push(l.active));
    await store.load(() => Promise.resolve(listing()));
    assert.equal(store.list?.active, 'anthropic:work');
    let answer: (l: ReturnType<typeof listing>) => void = () => undefined;
    const pending = store.load(() => new Promise((resolve) => (answer = resolve)));
    store.changed(listing({ active: 'ollama:local' }));
    answer(listing({ active: 'anthropic:claude-cli' }));
    await pending;
    const latest = store.list;
    assert.equal(latest.active, 'ollama:local');
    assert.deepEqual(seen, ['anthropic:work', 'ollama:local']);
  });
});

describe('Codex profiles', () => {
  const CODEX_CLI = profile({ id: 'openai-codex:codex-cli', type: 'cli', status: 'missing', detail: 'Not logged in' });
  const TEAM = profile({ id: 'openai-codex:team', type: 'oauth', status: 'ok', expiresAt: '2026-11-21T11:00:00Z' });
  const OPENAI_KEY = profile({ id: 'openai:proj', type: 'api_key', status: 'static' });
  const codexListing = (cli = CODEX_CLI) => listing({ profiles: [OPENAI_KEY, TEAM, cli, CLI], order: {}, active: 'anthropic:claude-cli' });

  it('groups them under "ChatGPT (Codex)" and "OpenAI (Codex)", after the Anthropic ones, with their own icons', () => {
    const rows = profileRows(codexListing(), CLIS, NOW, fixed);
    assert.deepEqual(
      rows.map((r) => [r.label, r.icon]),
      [
        ['Anthropic', 'server-environment'],
        ['ChatGPT (Codex)', 'comment-discussion'],
        ['OpenAI (Codex)', 'sparkle'],
      ],
    );
    assert.deepEqual(
      rows.at(1)?.children?.map((r) => r.label),
      ['codex-cli', 'team'],
    );
    const team = rows.at(1)?.children?.at(1);
    assert.match(team?.description ?? '', /^ok · expires in 1 h/);
    assert.match(team?.tooltip ?? '', /Provider: ChatGPT \(Codex\) · ChatGPT sign-in/);
    const key = rows.at(2)?.children?.at(0);
    assert.match(key?.tooltip ?? '', /Provider: OpenAI \(Codex\) · OpenAI API key/);
  });

  it('offers to sign the codex CLI in below its row while it is not signed in (the agent named from the registry); never to remove it', () => {
    const codexGroup = profileRows(codexListing(), CLIS, NOW, fixed).at(1);
    const cli = codexGroup?.children?.at(0);
    assert.equal(cli?.contextValue.includes('removable'), false);
    const signIn = cli.children?.at(0);
    assert.equal(signIn?.label, 'Sign in (Codex)…');
    assert.equal(signIn.description, undefined);
    assert.equal(signIn.tooltip, "The Codex CLI's own ChatGPT sign-in");
    assert.deepEqual(signIn.action, { kind: 'command', command: 'grove.signIn', title: 'Sign In', arguments: [{ agent: 'codex' }] });
    // The default agent's own sign-in is signed in from the Account view's own rows, not below its profile.
    const claude = profileRows(listing({ profiles: [{ ...CLI, status: 'missing' }] }), CLIS, NOW, fixed)
      .at(0)
      ?.children?.at(0);
    assert.equal(claude?.children, undefined);
    const signedInGroup = profileRows(codexListing({ ...CODEX_CLI, status: 'ok', detail: 'Logged in using ChatGPT' }), CLIS, NOW, fixed).at(1);
    const signedIn = signedInGroup?.children?.at(0);
    assert.equal(signedIn?.children, undefined);
    // Grove's own ChatGPT sign-in can be removed.
    assert.match(codexGroup?.children?.at(1)?.contextValue ?? '', /removable/);
  });

  it('does not hide the "Sign in to Claude" welcome for a codex CLI that is merely installed', () => {
    assert.equal(showsProfiles(listing({ profiles: [CLI, CODEX_CLI] }), false, CLIS), false);
    assert.equal(showsProfiles(listing({ profiles: [CLI, { ...CODEX_CLI, status: 'ok' }] }), false, CLIS), true);
    assert.equal(showsProfiles(listing({ profiles: [CLI, CODEX_CLI, TEAM] }), false, CLIS), true);
  });

  it('says an expired ChatGPT sign-in needs signing in again', () => {
    const expired = { ...TEAM, status: 'expired' as const, expiresAt: '2026-11-21T09:00:00Z' };
    assert.equal(
      expiryMessage(expired, CLIS, NOW),
      'Grove: the ChatGPT sign-in of profile openai-codex:team has expired (expired 1 h ago). Sign in again to keep agents running with it.',
    );
  });
});

describe('words and flags drawn from the agent CLI registry', () => {
  it("names a profile's kind by the agent whose own sign-in it is, by what it signs in to, or by its type", () => {
    assert.equal(profileTypeWords(CLI, CLIS), "Claude Code's own sign-in");
    assert.equal(profileTypeWords(profile({ id: 'openai-codex:codex-cli', type: 'cli' }), CLIS), "Codex's own sign-in");
    assert.equal(profileTypeWords(profile({ id: 'openai-codex:team', type: 'oauth' }), CLIS), 'ChatGPT sign-in');
    assert.equal(profileTypeWords(profile({ id: 'openai:proj', type: 'api_key' }), CLIS), 'OpenAI API key');
    assert.equal(profileTypeWords(KEY, CLIS), 'Anthropic API key');
    assert.equal(profileTypeWords(WORK, CLIS), 'setup token');
    assert.equal(profileTypeWords(OLLAMA, CLIS), 'endpoint');
    // Before the sidecar lists its agents: the type's words.
    assert.equal(profileTypeWords(CLI), 'CLI sign-in');
    assert.equal(profileTypeWords(KEY), 'API key');
  });

  it("never removes an agent's own sign-in profile, and offers to sign in only another agent's", () => {
    assert.ok(isBuiltInProfile('anthropic:claude-cli', CLIS));
    assert.ok(isBuiltInProfile('openai-codex:codex-cli', CLIS));
    assert.ok(!isBuiltInProfile('openai-codex:team', CLIS));
    const missing = profile({ id: 'openai-codex:codex-cli', type: 'cli', status: 'missing' });
    assert.equal(offersSignIn(missing, CLIS)?.id, 'codex');
    assert.equal(offersSignIn({ ...missing, status: 'ok' }, CLIS), undefined);
    assert.equal(offersSignIn({ ...CLI, status: 'missing' }, CLIS), undefined);
    assert.equal(offersSignIn(missing), undefined);
  });

  it("asks to sign in again an expiring agent's own sign-in, and to replace a token", () => {
    assert.match(expiryMessage({ ...CLI, status: 'expiring', expiresAt: '2026-11-21T11:00:00Z' }, CLIS, NOW), /Claude Code's own sign-in .* Sign in again/);
    assert.match(expiryMessage(WORK, CLIS, NOW), /Replace it/);
  });
});
