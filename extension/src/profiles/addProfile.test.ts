// Unit tests of the Add Profile flow's pure steps: the kinds offered, suggested names, what the input boxes refuse, the params sent, and how a refused add maps to its message and the step asked again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc';
import {
  ADD_KINDS,
  addParams,
  addRefusal,
  codexLoginChoices,
  isBuiltInRefusal,
  kindFor,
  nameProblem,
  secretProblem,
  suggestedName,
  urlProblem,
  type AddKind,
} from './addProfile';

function kind(id: AddKind['id']): AddKind {
  const found = ADD_KINDS.find((k) => k.id === id);
  assert.ok(found);
  return found;
}

describe('kinds', () => {
  it('offers the eight kinds, each a provider and type the sidecar takes (or a sign-in)', () => {
    assert.deepEqual(
      ADD_KINDS.map((k) => [k.label, k.provider, k.type, k.secret, k.url?.default ?? null]),
      [
        ['Claude setup token', 'anthropic', 'token', 'required', null],
        ['Anthropic API key', 'anthropic', 'api_key', 'required', null],
        ['Ollama', 'ollama', 'endpoint', 'optional', 'http://localhost:11434'],
        ['LM Studio', 'lmstudio', 'endpoint', 'optional', 'http://localhost:1234'],
        ['Anthropic-compatible gateway', 'anthropic-compatible', 'endpoint', 'required', null],
        ['OpenAI API key (Codex)', 'openai', 'api_key', 'required', null],
        ['ChatGPT sign-in (Codex)', 'openai-codex', 'oauth', 'none', null],
        ["Codex CLI's own sign-in (codex login)", 'openai-codex', 'cli', 'none', null],
      ],
    );
    // Only the two ChatGPT kinds are added by signing in.
    assert.deepEqual(
      ADD_KINDS.filter((k) => k.signIn !== undefined).map((k) => [k.id, k.signIn]),
      [
        ['chatgpt', 'chatgpt'],
        ['codexCli', 'codexCli'],
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
    assert.equal(secretProblem(kind('openaiKey'), '  '), 'Paste the key.');
  });

  it('asks how to run codex login, the device code first in a remote window', () => {
    assert.deepEqual(
      codexLoginChoices(false).map((c) => c.device),
      [false, true],
    );
    assert.deepEqual(
      codexLoginChoices(true).map((c) => c.device),
      [true, false],
    );
  });

  it('finds the kind that replaces a profile', () => {
    assert.equal(kindFor('anthropic', 'token')?.id, 'setupToken');
    assert.equal(kindFor('ollama', 'endpoint')?.id, 'ollama');
    assert.equal(kindFor('anthropic', 'cli'), undefined);
    // An expired ChatGPT sign-in is signed in again; so is the codex CLI's.
    assert.equal(kindFor('openai-codex', 'oauth')?.id, 'chatgpt');
    assert.equal(kindFor('openai-codex', 'cli')?.id, 'codexCli');
    assert.equal(kindFor('openai', 'api_key')?.id, 'openaiKey');
  });
});

describe('the input boxes', () => {
  it('suggests "default", then a free variant', () => {
    assert.equal(suggestedName('ollama', ['anthropic:default']), 'default');
    assert.equal(suggestedName('ollama', ['ollama:default', 'ollama:default-2']), 'default-3');
  });

  it('refuses names that cannot be a profile id part', () => {
    assert.equal(nameProblem('work'), undefined);
    assert.equal(nameProblem(' local-1.x '), undefined);
    assert.match(nameProblem('') ?? '', /Give the profile a name/);
    assert.match(nameProblem('my work') ?? '', /no spaces or ":"/);
    assert.match(nameProblem('a:b') ?? '', /no spaces or ":"/);
    // The CLIs' own sign-ins have these names.
    assert.match(nameProblem(' codex-cli ') ?? '', /CLI's own sign-in/);
    assert.match(nameProblem('claude-cli') ?? '', /CLI's own sign-in/);
  });

  it('takes only http(s) URLs', () => {
    assert.equal(urlProblem('http://localhost:11434'), undefined);
    assert.equal(urlProblem('https://gw.example.com/anthropic'), undefined);
    assert.match(urlProblem('') ?? '', /Type the server URL/);
    assert.match(urlProblem('localhost:11434') ?? '', /http/);
    assert.match(urlProblem('not a url') ?? '', /not a URL/);
    assert.match(urlProblem('ftp://x') ?? '', /http:\/\/ or https:\/\//);
  });

  it('needs a secret only where one is required, and leaves its form to the sidecar', () => {
    assert.match(secretProblem(kind('setupToken'), '  ') ?? '', /Paste the setup token/);
    assert.match(secretProblem(kind('gateway'), '') ?? '', /Paste the key/);
    assert.equal(secretProblem(kind('ollama'), ''), undefined);
    assert.equal(secretProblem(kind('setupToken'), 'anything'), undefined);
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
