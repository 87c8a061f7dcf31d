// Unit tests of the agent panel's composer drawn from the agent registry: the agent picker and its default, the profiles each agent can run with, the models and permission modes it offers, the requests shown by capability, and what a start or a retry sends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  agentModels,
  AUTOMATIC_PROFILE_LABEL,
  composerAgents,
  composerProfiles,
  composerSelection,
  defaultAgent,
  editsNotice,
  permissionModes,
  promptPlaceholder,
  retrySelection,
  runAgent,
  shownRequests,
} from './composerModel';
import { AGENTS, CLAUDE_AGENT, CODEX_AGENT } from './agentCliFixtures';
import { CLI, listing, profile } from '../profiles/profilesFixtures';
import type { Profile, ProfilesList } from '../common/protocol';

/** The fixtures' profiles with the agents the sidecar says can run them. */
const withAgents = (list: ProfilesList): ProfilesList => ({
  ...list,
  profiles: list.profiles.map((p): Profile => ({ ...p, agents: p.provider.startsWith('openai') ? ['codex'] : ['claude'] })),
});
const claudeListing = (overrides: Partial<ProfilesList> = {}) => withAgents(listing(overrides));

const CODEX_CLI = profile({ id: 'openai-codex:codex-cli', type: 'cli', status: 'missing', detail: 'Not logged in' });
const TEAM = profile({ id: 'openai-codex:team', type: 'oauth', status: 'ok', expiresAt: '2026-11-21T11:00:00Z' });
const OPENAI_KEY = profile({ id: 'openai:proj', type: 'api_key', status: 'static' });
const codexListing = () => withAgents(listing({ profiles: [...listing().profiles, OPENAI_KEY, TEAM, CODEX_CLI] }));

describe('the composer: profiles', () => {
  it('offers Automatic first, then the profiles of the agent, endpoints with their models', () => {
    const choices = composerProfiles(claudeListing(), CLAUDE_AGENT);
    assert.deepEqual(choices[0], { value: '', label: AUTOMATIC_PROFILE_LABEL, models: null });
    // Anthropic first (the agent's providers' order), each provider in its own order.
    assert.deepEqual(
      choices.map((c) => c.value),
      ['', 'anthropic:work', 'anthropic:claude-cli', 'anthropic:key', 'ollama:local', 'anthropic-compatible:corp'],
    );
    const ollama = choices.find((c) => c.value === 'ollama:local');
    assert.deepEqual(ollama?.models, [
      { value: 'qwen3-coder', label: 'qwen3-coder' },
      { value: 'llama3', label: 'llama3' },
    ]);
    assert.equal(choices.find((c) => c.value === 'anthropic:work')?.label, 'anthropic:work (expiring soon)');
    assert.equal(choices.find((c) => c.value === 'anthropic:work')?.models, null);
    assert.deepEqual(composerProfiles(undefined, CLAUDE_AGENT), [{ value: '', label: AUTOMATIC_PROFILE_LABEL, models: null }]);
  });

  it('offers only the profiles whose agents include the chosen one', () => {
    assert.deepEqual(
      composerProfiles(codexListing(), CODEX_AGENT).map((c) => c.value),
      ['', 'openai-codex:codex-cli', 'openai-codex:team', 'openai:proj'],
    );
    assert.ok(!composerProfiles(codexListing(), CLAUDE_AGENT).some((c) => c.value.startsWith('openai')));
    // A listing of an earlier sidecar (no `agents`): by the agent's providers.
    assert.deepEqual(
      composerProfiles(listing({ profiles: [TEAM, CLI] }), CODEX_AGENT).map((c) => c.value),
      ['', 'openai-codex:team'],
    );
  });

  it('says how a profile is when it is not ok, and never offers one Grove cannot run', () => {
    const checking = claudeListing({ profiles: [{ ...CLI, status: 'checking' }], order: {} });
    assert.equal(composerProfiles(checking, CLAUDE_AGENT)[1]?.label, 'anthropic:claude-cli (checking…)');
    const odd = profile({ id: 'anthropic:future', type: 'unknown', status: 'unusable' });
    assert.deepEqual(
      composerProfiles(claudeListing({ profiles: [CLI, odd], order: {} }), CLAUDE_AGENT).map((c) => c.value),
      ['', CLI.id],
    );
  });
});

describe('the composer: agents, models and modes', () => {
  it('lists the agents found first, then the others, which say they were not found', () => {
    const lost = { ...CLAUDE_AGENT, found: false };
    const choices = composerAgents([lost, CODEX_AGENT], claudeListing(), 'Ctrl+Enter');
    assert.deepEqual(
      choices.map((c) => [c.value, c.label, c.found]),
      [
        ['codex', 'Codex', true],
        ['claude', 'Claude Code (not found)', false],
      ],
    );
    assert.equal(choices[1]?.notFound, `Claude Code was not found. ${CLAUDE_AGENT.installHint}`);
    assert.equal(choices[0]?.notFound, null);
  });

  it('offers every profile under one unnamed agent before the sidecar listed any', () => {
    const [only, ...rest] = composerAgents([], codexListing(), 'Ctrl+Enter');
    assert.deepEqual(rest, []);
    assert.equal(only?.value, '');
    assert.equal(only.profiles.length, 9);
    assert.deepEqual(only.models, [{ value: '', label: 'Default model' }]);
  });

  it('says plainly that an agent without permission requests edits without asking, and nothing of one that asks', () => {
    const [claude, codex] = composerAgents(AGENTS, undefined, 'Ctrl+Enter');
    assert.equal(claude?.editsNotice, null);
    assert.equal(codex?.editsNotice, "Codex does not ask before it edits: it changes files in this workspace's worktree without a permission card.");
    const gemini = { ...CODEX_AGENT, id: 'gemini', label: 'Gemini CLI' };
    assert.match(editsNotice(gemini) ?? '', /^Gemini CLI does not ask before it edits/);
    assert.equal(editsNotice(CLAUDE_AGENT), null);
    // Before the sidecar listed any agent: nothing is known, so nothing is said.
    assert.equal(composerAgents([], undefined, 'Ctrl+Enter')[0]?.editsNotice, null);
  });

  it("offers an agent's aliases after its default, or only its default when it lists none", () => {
    assert.deepEqual(agentModels(CLAUDE_AGENT), [
      { value: '', label: 'Default model' },
      { value: 'sonnet', label: 'Sonnet' },
      { value: 'opus', label: 'Opus' },
      { value: 'haiku', label: 'Haiku' },
    ]);
    assert.deepEqual(agentModels(CODEX_AGENT), [{ value: '', label: 'Default model (codex)' }]);
    const [claude, codex] = composerAgents(AGENTS, codexListing(), 'Ctrl+Enter');
    assert.deepEqual(claude?.models, agentModels(CLAUDE_AGENT));
    assert.deepEqual(codex?.profiles.find((p) => p.value === 'openai-codex:team')?.models, null);
  });

  it('offers the permission modes the agent honors, and steering only to an agent that takes it', () => {
    assert.deepEqual(
      permissionModes(CLAUDE_AGENT.capabilities).map((m) => m.value),
      ['acceptEdits', 'default', 'plan', 'bypassPermissions'],
    );
    assert.deepEqual(
      permissionModes(CODEX_AGENT.capabilities).map((m) => m.value),
      ['acceptEdits', 'bypassPermissions'],
    );
    assert.equal(permissionModes(undefined).length, 4);
    const [claude, codex] = composerAgents(AGENTS, undefined, '⌘+Enter');
    assert.equal(claude?.placeholder, promptPlaceholder('⌘+Enter', true));
    assert.match(claude.placeholder, /a message steers it/);
    assert.equal(codex?.placeholder, 'Tell the agent what to do (⌘+Enter to send)');
    assert.equal(codex.steer, false);
  });

  it("starts with the agent of the workspace's latest run, else of its default profile, else the first found", () => {
    const list = codexListing();
    assert.equal(defaultAgent(AGENTS, { agent: 'codex' }, undefined, list), 'codex');
    // A run of an earlier sidecar names no agent: its provider says.
    assert.equal(defaultAgent(AGENTS, { provider: 'openai' }, undefined, list), 'codex');
    assert.equal(defaultAgent(AGENTS, undefined, 'openai-codex:team', list), 'codex');
    assert.equal(defaultAgent(AGENTS, undefined, 'anthropic:work', list), 'claude');
    assert.equal(defaultAgent(AGENTS, undefined, undefined, list), 'claude');
    assert.equal(defaultAgent([{ ...CLAUDE_AGENT, found: false }, CODEX_AGENT], undefined, undefined, list), 'codex');
    assert.equal(defaultAgent([], undefined, undefined, list), undefined);
    assert.equal(runAgent(AGENTS, { agent: 'gone' }), undefined);
  });

  it('shows the requests a run can have by its agent: no Allow/Deny card without permissions, no question or plan without questions', () => {
    const requests = [{ kind: 'tool' as const }, { kind: 'question' as const }, { kind: 'plan' as const }];
    assert.equal(shownRequests(requests, CLAUDE_AGENT.capabilities).length, 3);
    assert.deepEqual(shownRequests(requests, CODEX_AGENT.capabilities), []);
    assert.deepEqual(shownRequests(requests, { ...CODEX_AGENT.capabilities, questions: true }), [{ kind: 'question' }, { kind: 'plan' }]);
    assert.equal(shownRequests(requests, undefined).length, 3);
  });
});

describe('the composer: what a start sends', () => {
  it('sends the chosen profile, and for an endpoint one of its models', () => {
    const list = claudeListing();
    assert.deepEqual(composerSelection(list, CLAUDE_AGENT, '', ''), {});
    assert.deepEqual(composerSelection(list, CLAUDE_AGENT, '', 'opus'), { model: 'opus' });
    assert.deepEqual(composerSelection(list, CLAUDE_AGENT, 'anthropic:work', 'opus'), { profile: 'anthropic:work', model: 'opus' });
    assert.deepEqual(composerSelection(list, CLAUDE_AGENT, 'ollama:local', 'llama3'), { profile: 'ollama:local', model: 'llama3' });
    // A Claude alias left over from another profile: the endpoint's first model instead.
    assert.deepEqual(composerSelection(list, CLAUDE_AGENT, 'ollama:local', 'opus'), { profile: 'ollama:local', model: 'qwen3-coder' });
    // An endpoint that served no models yet: no model.
    assert.deepEqual(composerSelection(list, CLAUDE_AGENT, 'anthropic-compatible:corp', 'x'), { profile: 'anthropic-compatible:corp' });
    // No agent known yet: the model as chosen.
    assert.deepEqual(composerSelection(list, undefined, '', 'opus'), { model: 'opus' });
  });

  it("sends an agent none of another agent's aliases", () => {
    assert.deepEqual(composerSelection(codexListing(), CODEX_AGENT, 'openai-codex:team', ''), { profile: 'openai-codex:team' });
    assert.deepEqual(composerSelection(codexListing(), CODEX_AGENT, 'openai:proj', 'sonnet'), { profile: 'openai:proj' });
    assert.deepEqual(composerSelection(codexListing(), CODEX_AGENT, '', 'sonnet'), {});
  });

  it('retries with the next profile, keeping a model its agent knows but not an endpoint one', () => {
    const list = claudeListing();
    assert.deepEqual(retrySelection(list, CLAUDE_AGENT, 'anthropic:key', 'anthropic:work', 'opus'), { profile: 'anthropic:key', model: 'opus' });
    assert.deepEqual(retrySelection(list, CLAUDE_AGENT, 'anthropic:key', 'ollama:local', 'qwen3-coder'), { profile: 'anthropic:key' });
    assert.deepEqual(retrySelection(list, CLAUDE_AGENT, 'ollama:local', 'anthropic:work', 'opus'), { profile: 'ollama:local', model: 'qwen3-coder' });
    // Retrying a Claude run with a Codex profile drops the Claude model.
    assert.deepEqual(retrySelection(codexListing(), CODEX_AGENT, 'openai-codex:team', 'anthropic:claude-cli', 'opus'), { profile: 'openai-codex:team' });
  });
});
