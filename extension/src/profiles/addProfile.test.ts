// Unit tests of the Add Profile flow without vscode: the kinds offered, suggested names, what each step refuses as it is typed, Back, the params sent, and a refused add brought back to its step with the value kept.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc';
import { AgentCliStore } from '../agentClis/agentCliStore';
import { AGENTS, OTHER_AGENT, TERMINAL_AGENT } from '../agentClis/agentCliFixtures';
import {
  AddFlow,
  addParams,
  addRefusal,
  addSteps,
  cliSignInChoices,
  isBuiltInRefusal,
  kindFor,
  stepProblem,
  suggestedName,
  urlOptional,
  type AddAnswers,
  type AddKind,
} from './addProfile';

const CLIS = new AgentCliStore(AGENTS);
const KINDS = CLIS.profileKinds;
const RESERVED = CLIS.ownProfileNames;

function kind(id: string): AddKind {
  const found = KINDS.find((k) => k.id === id);
  assert.ok(found);
  return found;
}

describe('kinds', () => {
  it("offers every agent's kinds from the registry, each a provider and type the sidecar takes (or a sign-in)", () => {
    assert.deepEqual(
      KINDS.map((k) => [k.label, k.provider, k.type, k.secret, k.askUrl, k.defaultUrl ?? null]),
      [
        ['Claude setup token', 'anthropic', 'token', 'required', false, null],
        ['Anthropic API key', 'anthropic', 'api_key', 'required', false, null],
        ['Ollama', 'ollama', 'endpoint', 'optional', true, 'http://localhost:11434'],
        ['LM Studio', 'lmstudio', 'endpoint', 'optional', true, 'http://localhost:1234'],
        ['Anthropic-compatible gateway', 'anthropic-compatible', 'endpoint', 'required', true, null],
        ['OpenAI API key (Codex)', 'openai', 'api_key', 'required', false, null],
        ['ChatGPT sign-in (Codex)', 'openai-codex', 'oauth', 'none', false, null],
        ["Codex CLI's own sign-in (codex login)", 'openai-codex', 'cli', 'none', false, null],
      ],
    );
    // Only the two ChatGPT kinds are added by signing in: Grove's own, and the CLI's.
    assert.deepEqual(
      KINDS.filter((k) => k.signIn !== undefined).map((k) => [k.id, k.signIn]),
      [
        ['chatgpt', 'grove'],
        ['codexCli', 'cli'],
      ],
    );
  });

  it('sends an OpenAI key as an api_key of provider openai', () => {
    const key = 'sk-proj-CODEXPROFILEKEY0123456789abcdef';
    assert.deepEqual(addParams(kind('openaiKey'), { name: ' team ', secret: key, baseUrl: '' }), {
      provider: 'openai',
      name: 'team',
      type: 'api_key',
      secret: key,
    });
    assert.equal(stepProblem('secret', kind('openaiKey'), '  ')?.message, 'Paste the API key.');
  });

  it("asks how to run an agent CLI's own sign-in from its methods, the device code first in a remote window", () => {
    assert.deepEqual(
      cliSignInChoices(OTHER_AGENT, false).map((c) => c.device),
      [false, true],
    );
    assert.deepEqual(
      cliSignInChoices(OTHER_AGENT, true).map((c) => c.device),
      [true, false],
    );
    assert.match(cliSignInChoices(OTHER_AGENT, false)[1]?.detail ?? '', /the code the Codex CLI shows/);
    // A CLI without a device code offers the browser only; one that names neither, the browser.
    assert.deepEqual(
      cliSignInChoices({ label: 'X', signIn: { status: 'signedOut', methods: ['browser', 'paste'] } }, true).map((c) => c.device),
      [false],
    );
    assert.deepEqual(
      cliSignInChoices({ label: 'X', signIn: { status: 'unknown', methods: [] } }, false).map((c) => c.device),
      [false],
    );
  });

  it('finds the kind that replaces a profile', () => {
    assert.equal(kindFor(KINDS, 'anthropic', 'token')?.id, 'setupToken');
    assert.equal(kindFor(KINDS, 'ollama', 'endpoint')?.id, 'ollama');
    assert.equal(kindFor(KINDS, 'anthropic', 'cli'), undefined);
    // An expired ChatGPT sign-in is signed in again; so is the codex CLI's.
    assert.equal(kindFor(KINDS, 'openai-codex', 'oauth')?.id, 'chatgpt');
    assert.equal(kindFor(KINDS, 'openai-codex', 'cli')?.id, 'codexCli');
    assert.equal(kindFor(KINDS, 'openai', 'api_key')?.id, 'openaiKey');
    assert.equal(kindFor([], 'anthropic', 'token'), undefined);
  });
});

describe('the input boxes', () => {
  it('suggests "default", then a free variant', () => {
    assert.equal(suggestedName('ollama', ['anthropic:default']), 'default');
    assert.equal(suggestedName('ollama', ['ollama:default', 'ollama:default-2']), 'default-3');
  });

  it("checks each step by the sidecar's rules for the kind", () => {
    const reason = (step: 'url' | 'secret' | 'name', id: string, value: string) => stepProblem(step, kind(id), value, RESERVED)?.reason;
    assert.equal(reason('name', 'apiKey', ' work '), undefined);
    assert.equal(reason('name', 'apiKey', 'my work'), 'badName');
    assert.equal(reason('name', 'ollama', 'codex-cli'), 'badName');
    assert.equal(reason('secret', 'apiKey', 'hello'), 'notApiKey');
    assert.match(stepProblem('secret', kind('apiKey'), 'hello')?.message ?? '', /starts with sk-ant-api/);
    assert.equal(reason('secret', 'apiKey', `sk-ant-api03-${'a'.repeat(40)}`), undefined);
    assert.equal(reason('secret', 'setupToken', 'sk-ant-api03-x'), 'wrongPrefix');
    assert.equal(reason('secret', 'openaiKey', 'hello'), 'notApiKey');
    assert.equal(reason('secret', 'ollama', ''), undefined);
    assert.equal(reason('secret', 'gateway', ''), 'missingSecret');
    assert.equal(reason('secret', 'gateway', 'a b'), 'badSecret');
    assert.equal(reason('url', 'ollama', ''), undefined);
    assert.equal(reason('url', 'gateway', ''), 'badUrl');
    assert.equal(reason('url', 'lmstudio', 'localhost:1234'), 'badUrl');
    assert.equal(reason('url', 'lmstudio', 'http://127.0.0.1:9'), undefined);
  });

  it('asks the URL, the secret, then the name (not when replacing)', () => {
    assert.deepEqual(addSteps(kind('ollama'), true), ['url', 'secret', 'name']);
    assert.deepEqual(addSteps(kind('apiKey'), true), ['secret', 'name']);
    assert.deepEqual(addSteps(kind('apiKey'), false), ['secret']);
    assert.deepEqual(addSteps(kind('chatgpt'), true), ['name']);
  });

  it('sends the answers, without an empty optional secret', () => {
    assert.deepEqual(addParams(kind('ollama'), { name: ' local ', secret: '', baseUrl: ' http://127.0.0.1:9 ' }), {
      provider: 'ollama',
      name: 'local',
      type: 'endpoint',
      baseUrl: 'http://127.0.0.1:9',
    });
    assert.deepEqual(addParams(kind('setupToken'), { name: 'work', secret: 'sk-ant-oat01-x', baseUrl: 'ignored' }), {
      provider: 'anthropic',
      name: 'work',
      type: 'token',
      secret: 'sk-ant-oat01-x',
    });
  });
});

describe('a refused add', () => {
  const refused = (reason: string, message = 'words of the sidecar') => new ResponseError(-32602, message, { reason });

  it('shows the sidecar message as it is and asks again at the step it points at', () => {
    const steps = Object.fromEntries(
      [
        'codeState',
        'wrongPrefix',
        'tooShort',
        'tooLong',
        'badCharacters',
        'badSecret',
        'notApiKey',
        'missingSecret',
        'badUrl',
        'unreachable',
        'redirected',
        'badName',
        'badLabel',
        'unknownProvider',
        'badType',
      ].map((r) => [r, addRefusal(refused(r)).step]),
    );
    assert.deepEqual(steps, {
      codeState: 'secret',
      wrongPrefix: 'secret',
      tooShort: 'secret',
      tooLong: 'secret',
      badCharacters: 'secret',
      badSecret: 'secret',
      notApiKey: 'secret',
      missingSecret: 'secret',
      badUrl: 'url',
      unreachable: 'url',
      redirected: 'url',
      badName: 'name',
      badLabel: undefined,
      unknownProvider: 'kind',
      badType: 'kind',
    });
    assert.deepEqual(addRefusal(refused('wrongPrefix', 'That is not a setup token.')), {
      message: 'That is not a setup token.',
      step: 'secret',
      reason: 'wrongPrefix',
    });
  });

  it('has words of its own for a refusal that came without a message', () => {
    assert.match(addRefusal(refused('codeState', '')).message, /sign-in code \(code#state\)/);
    assert.match(addRefusal(refused('somethingNew', '')).message, /refused/);
    assert.match(addRefusal(refused('tooLong', '')).message, /16 KiB/);
    assert.match(addRefusal(refused('redirected', '')).message, /redirect/);
    assert.match(addRefusal(refused('badLabel', '')).message, /200 characters/);
  });

  it('asks nothing again for other failures', () => {
    assert.deepEqual(addRefusal(new ResponseError(-32040, 'store failed')), { message: 'store failed', step: undefined, reason: undefined });
    assert.deepEqual(addRefusal(new Error('sidecar down')), { message: 'sidecar down', step: undefined, reason: undefined });
  });

  it('recognizes the refusal to remove the built-in profile', () => {
    assert.equal(isBuiltInRefusal(refused('builtIn')), true);
    assert.equal(isBuiltInRefusal(refused('badName')), false);
  });
});

describe('the flow', () => {
  const KEY = `sk-ant-api03-${'k'.repeat(40)}`;
  const answers = (over: Partial<AddAnswers> = {}): AddAnswers => ({ name: 'default', secret: '', baseUrl: '', ...over });
  const flow = (id: string, over: Partial<AddAnswers> = {}, taken: string[] = []) =>
    new AddFlow(kind(id), answers(over), { verb: 'Add', taken, backToKind: true });

  it('refuses an API key like "hello" at its own step, saying what a key looks like, and goes on once it is fixed', () => {
    const f = flow('apiKey');
    assert.deepEqual((({ step, number, total, title, password, back, value }) => ({ step, number, total, title, password, back, value }))(f.view()), {
      step: 'secret',
      number: 1,
      total: 2,
      title: 'Add Anthropic API key Profile',
      password: true,
      back: true,
      value: '',
    });
    // As it is typed, and on Enter: an error; the flow stays.
    assert.equal(f.check('hello')?.severity, 'error');
    assert.match(f.check('hello')?.message ?? '', /sk-ant-api.*at least 40/);
    const stay = f.accept('hello');
    assert.equal(stay.kind, 'stay');
    assert.equal(f.step, 'secret');
    // An empty box gets a hint, not an error, but Enter is refused all the same.
    assert.deepEqual(f.check(''), { message: 'Paste the API key.', severity: 'info' });
    assert.deepEqual(f.accept(''), { kind: 'stay', message: { message: 'Paste the API key.', severity: 'error' } });
    assert.equal(f.check(KEY), undefined);
    assert.deepEqual(f.accept(KEY), { kind: 'next' });
    assert.equal(f.view().step, 'name');
    assert.equal(f.view().value, 'default');
    assert.deepEqual(f.accept(' work '), { kind: 'send' });
    assert.deepEqual(f.params(), { provider: 'anthropic', name: 'work', type: 'api_key', secret: KEY });
  });

  it('goes Back with every value kept, and from the first step to the choice of kind', () => {
    const f = flow('ollama', { baseUrl: 'http://127.0.0.1:5000' });
    assert.match(f.view().prompt, /answers here \(detected\)/);
    assert.deepEqual(f.accept('http://127.0.0.1:9'), { kind: 'next' });
    assert.deepEqual(f.accept('opt-key'), { kind: 'next' });
    // Back from the name keeps what was typed there, even a name that would be refused.
    assert.equal(f.back('bad name'), 'step');
    assert.equal(f.view().value, 'opt-key');
    assert.equal(f.back('opt-key'), 'step');
    assert.equal(f.view().value, 'http://127.0.0.1:9');
    assert.equal(f.back('http://127.0.0.1:9'), 'kind');
    const fixed = new AddFlow(kind('apiKey'), answers(), { verb: 'Replace', taken: [], backToKind: false });
    assert.equal(fixed.view().back, false);
    assert.equal(fixed.back(''), 'none');
    assert.deepEqual(fixed.steps, ['secret']);
  });

  it("asks an API key kind's base URL as optional: empty sends none, a URL is checked and sent; an endpoint still needs one", () => {
    const gemini = TERMINAL_AGENT.profileKinds[0];
    assert.ok(gemini);
    assert.equal(urlOptional(gemini), true);
    assert.equal(urlOptional(kind('gateway')), false);
    assert.equal(urlOptional(kind('ollama')), false);
    assert.equal(urlOptional(kind('apiKey')), false);
    const f = new AddFlow(gemini, { name: 'default', secret: '', baseUrl: '' }, { verb: 'Add', taken: [], backToKind: false });
    assert.deepEqual(f.steps, ['url', 'secret', 'name']);
    assert.match(f.view().prompt, /^Optional: .*leave empty for the provider's own API\.$/);
    assert.deepEqual(f.check(''), { message: "Left empty, runs use the provider's own API.", severity: 'info' });
    assert.equal(f.check('ftp://x')?.severity, 'error');
    assert.deepEqual(f.accept(''), { kind: 'next' });
    f.accept('AIzaSyA-0123456789abcdefghijklmnop');
    assert.deepEqual(f.accept('default'), { kind: 'send' });
    assert.deepEqual(f.params(), { provider: 'google', name: 'default', type: 'api_key', secret: 'AIzaSyA-0123456789abcdefghijklmnop' });
    const viaGateway = new AddFlow(
      gemini,
      { name: 'gw', secret: 'AIzaSyA-0123456789abcdefghijklmnop', baseUrl: '' },
      { verb: 'Add', taken: [], backToKind: false },
    );
    assert.deepEqual(viaGateway.accept(' http://127.0.0.1:8080 '), { kind: 'next' });
    assert.equal(viaGateway.params().baseUrl, 'http://127.0.0.1:8080');
    assert.equal(stepProblem('url', kind('gateway'), '')?.reason, 'badUrl');
  });

  it('notes a default URL for an empty box and a name that replaces a profile, without refusing them', () => {
    const f = flow('lmstudio');
    assert.deepEqual(f.check(''), { message: 'Left empty, http://localhost:1234 is used.', severity: 'info' });
    assert.deepEqual(f.accept(''), { kind: 'next' });
    assert.deepEqual(f.accept(''), { kind: 'next' });
    const taken = flow('apiKey', {}, ['anthropic:work']);
    taken.accept(KEY);
    assert.deepEqual(taken.check('work'), { message: 'anthropic:work exists: adding replaces it.', severity: 'warning' });
    assert.deepEqual(taken.accept('work'), { kind: 'send' });
  });

  it('brings a refusal back to the step that owns the field, the value kept and the words shown until it changes', () => {
    const f = flow('ollama');
    f.accept('http://127.0.0.1:9');
    f.accept('');
    assert.deepEqual(f.accept('local'), { kind: 'send' });
    assert.equal(f.sendingPrompt(), 'Checking that http://127.0.0.1:9 answers…');
    const words = 'Nothing answered at http://127.0.0.1:9. Start the server (or check the URL) and add the profile again.';
    assert.equal(f.refused(addRefusal(new ResponseError(-32602, words, { reason: 'unreachable' }))), true);
    const view = f.view();
    assert.deepEqual([view.step, view.number, view.total, view.value], ['url', 1, 3, 'http://127.0.0.1:9']);
    assert.deepEqual(f.check('http://127.0.0.1:9'), { message: words, severity: 'error' });
    assert.equal(f.check('http://127.0.0.1:11434'), undefined);
    // Enter with the same value tries again (the server may be up now); the later steps kept their values.
    assert.deepEqual(f.accept('http://127.0.0.1:9'), { kind: 'next' });
    assert.equal(f.check('http://127.0.0.1:9'), undefined);
    f.accept('');
    assert.equal(f.view().value, 'local');
    // A refusal of a step the flow does not ask, or of no step, is not brought back.
    assert.equal(f.refused(addRefusal(new ResponseError(-32602, 'no', { reason: 'badType' }))), false);
    assert.equal(f.refused(addRefusal(new ResponseError(-32040, 'store failed'))), false);
    const replacing = new AddFlow(kind('apiKey'), answers({ name: 'work' }), { verb: 'Replace', taken: [], backToKind: false });
    assert.equal(replacing.refused(addRefusal(new ResponseError(-32602, 'bad', { reason: 'badName' }))), false);
  });

  it('forgets the secret when it ends', () => {
    const f = flow('apiKey');
    f.accept(KEY);
    assert.equal(f.answers.secret, KEY);
    f.forget();
    assert.equal(f.answers.secret, '');
  });
});
