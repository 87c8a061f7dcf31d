// Unit tests of the agent CLI store: lookups by id, provider, profile and kind, the words drawn from the registry, and a notification during a request winning over its answer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentCli } from '../common/protocol';
import { AgentCliStore, serviceName } from './agentCliStore';
import { agent, AGENTS, DEFAULT_AGENT, OTHER_AGENT } from './agentCliFixtures';

describe('AgentCliStore', () => {
  it('is empty until the sidecar answers', () => {
    const store = new AgentCliStore();
    assert.equal(store.list, undefined);
    assert.deepEqual(store.all, []);
    assert.equal(store.default, undefined);
    assert.equal(store.get('claude'), undefined);
    assert.deepEqual(store.profileKinds, []);
    assert.equal(store.providerLabel('anthropic'), 'anthropic');
    assert.equal(store.providerIcon('anthropic'), 'server-environment');
  });

  it('looks agents up by id, provider and profile; the first listed is the default', () => {
    const store = new AgentCliStore(AGENTS);
    assert.equal(store.default, DEFAULT_AGENT);
    assert.equal(store.get(OTHER_AGENT.id), OTHER_AGENT);
    assert.equal(store.get(undefined), undefined);
    assert.equal(store.get('nope'), undefined);
    for (const a of AGENTS) for (const p of a.providers) assert.equal(store.forProvider(p), a, p);
    assert.equal(store.forProvider('nope'), undefined);
    assert.deepEqual(store.forProfile({ provider: 'ollama', agents: [] }), [DEFAULT_AGENT]);
    assert.deepEqual(store.forProfile({ provider: 'ollama', agents: [OTHER_AGENT.id] }), [OTHER_AGENT]);
    for (const a of AGENTS) {
      assert.ok(store.isOwnProfile(a.ownProfile));
      assert.equal(store.ownerOfProfile(a.ownProfile), a);
    }
    assert.ok(!store.isOwnProfile('anthropic:work'));
    assert.deepEqual(store.ownProfileNames, ['claude-cli', 'codex-cli']);
  });

  it('lists the found agents only', () => {
    const store = new AgentCliStore([DEFAULT_AGENT, agent(1, { found: false })]);
    assert.deepEqual(
      store.found.map((a) => a.id),
      [DEFAULT_AGENT.id],
    );
  });

  it('draws providers, kinds and their words from the agents, in their order', () => {
    const store = new AgentCliStore(AGENTS);
    assert.deepEqual(store.providerOrder, ['anthropic', 'ollama', 'lmstudio', 'anthropic-compatible', 'openai-codex', 'openai']);
    assert.equal(store.providerLabel('lmstudio'), 'LM Studio');
    assert.equal(store.providerLabel('openai-codex'), 'ChatGPT (Codex)');
    assert.equal(store.providerLabel('unknown'), 'unknown');
    assert.equal(store.providerIcon('openai'), 'sparkle');
    assert.equal(store.providerIcon('unknown'), 'server-environment');
    assert.equal(store.serviceName('openai-codex'), 'ChatGPT');
    assert.equal(store.serviceName('openai'), 'OpenAI');
    assert.equal(store.serviceName('anthropic'), 'Anthropic');
    assert.deepEqual(
      store.profileKinds.map((k) => k.id),
      ['setupToken', 'apiKey', 'ollama', 'lmstudio', 'gateway', 'openaiKey', 'chatgpt', 'codexCli'],
    );
    assert.equal(store.kindFor('anthropic', 'token')?.id, 'setupToken');
    assert.equal(store.kindFor('openai-codex', 'oauth')?.signIn, 'grove');
    assert.equal(store.kindFor('openai-codex', 'cli')?.signIn, 'cli');
    assert.equal(store.kindFor('anthropic', 'cli'), undefined);
    const cliKind = store.kindFor('openai-codex', 'cli');
    assert.ok(cliKind);
    assert.equal(store.agentOfKind(cliKind), OTHER_AGENT);
    assert.equal(store.agentOfKind({ provider: 'nope' }), undefined);
  });

  it('names a service by its provider label without the agent in brackets', () => {
    assert.equal(serviceName('ChatGPT (Codex)'), 'ChatGPT');
    assert.equal(serviceName('Anthropic-compatible gateways'), 'Anthropic-compatible gateways');
    assert.equal(serviceName('(odd)'), '(odd)');
  });

  it('keeps the latest list; a notification during a request wins over its answer; listeners hear each', async () => {
    const store = new AgentCliStore();
    const heard: string[][] = [];
    const listener = store.onDidChange((agents) => heard.push(agents.map((a) => a.id)));
    await store.load(() => Promise.resolve({ agents: [...AGENTS] }));
    assert.deepEqual(heard, [['claude', 'codex']]);

    let answer: (value: { agents: AgentCli[] }) => void = () => undefined;
    const pending = store.load(() => new Promise((resolve) => (answer = resolve)));
    store.changed([DEFAULT_AGENT]);
    answer({ agents: [...AGENTS] });
    await pending;
    assert.deepEqual(
      store.all.map((a) => a.id),
      ['claude'],
      'the notification wins',
    );
    listener.dispose();
    store.changed(AGENTS);
    assert.equal(heard.length, 2, 'a disposed listener hears nothing');
    await assert.rejects(store.load(() => Promise.reject(new Error('gone'))));
    assert.equal(store.all.length, 2, 'a failed request leaves the list');
  });
});
