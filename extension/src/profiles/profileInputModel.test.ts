// Unit tests of the mirrored sidecar checks of a profile's inputs: the cases of server/src/profiles/input.rs's own tests give the same reasons here, and the words say what a valid value looks like without repeating the input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentCliStore } from '../agentClis/agentCliStore';
import { AGENTS } from '../agentClis/agentCliFixtures';
import {
  checkApiKey,
  checkBaseUrl,
  checkEndpointKey,
  checkEndpointUrl,
  checkName,
  checkSecret,
  checkSetupToken,
  MAX_SECRET,
  MAX_URL,
  rustTrim,
  squeeze,
  SETUP_TOKEN_PREFIX,
} from './profileInputModel';

/** input.rs's test token. */
const TOKEN = 'sk-ant-oat01-FAKEefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-abcdefghijklmnopqrstuvwxyzAA';
const reason = (p: { reason: string } | undefined) => p?.reason;

describe('setup tokens (input::setup_token)', () => {
  it('takes a token wrapped across lines, and refuses what is not one, as the sidecar does', () => {
    assert.equal(checkSetupToken(`  ${TOKEN.slice(0, 50)}\n${TOKEN.slice(50)}\r\n`), undefined);
    assert.equal(reason(checkSetupToken('abc123#state456')), 'codeState');
    assert.equal(reason(checkSetupToken('sk-ant-api03-abcdefghijklmnop')), 'wrongPrefix');
    assert.match(checkSetupToken('sk-ant-api03-abcdefghijklmnop')?.message ?? '', /That is an API key, not a setup token/);
    assert.match(checkSetupToken('hello')?.message ?? '', /That is something else.*starts with sk-ant-oat01-/);
    assert.equal(reason(checkSetupToken(TOKEN.slice(0, 40))), 'tooShort');
    assert.match(checkSetupToken(TOKEN.slice(0, 40))?.message ?? '', /\(40 characters; a setup token has over 80\)/);
    assert.equal(reason(checkSetupToken(' \n')), 'missingSecret');
    assert.equal(reason(checkSetupToken(`${TOKEN}\u0000`)), 'badCharacters');
    for (const bad of ['abc#def', TOKEN.slice(0, 40), 'sk-ant-api03-FAKEzzzzzzzzzzzzzzzz']) {
      assert.ok(!(checkSetupToken(bad)?.message ?? '').includes(bad), 'the input is not repeated');
    }
  });

  it('refuses more than 16 KiB first', () => {
    const huge = `${SETUP_TOKEN_PREFIX}${'A'.repeat(MAX_SECRET)}`;
    assert.equal(reason(checkSetupToken(huge)), 'tooLong');
    assert.equal(reason(checkApiKey('anthropic', huge)), 'tooLong');
    assert.equal(reason(checkEndpointKey('ollama', huge)), 'tooLong');
    assert.ok(!(checkSetupToken(huge)?.message ?? '').includes('AAAA'));
    // Bytes, as Rust counts them: 6000 three-byte characters are over.
    assert.equal(reason(checkEndpointKey('ollama', '€'.repeat(6000))), 'tooLong');
  });
});

describe('API keys (input::api_key)', () => {
  const key = 'sk-ant-api03-FAKEefghijklmnopqrstuvwxyz0123456789';

  it('takes an Anthropic key and refuses a setup token or "hello", saying what a key looks like', () => {
    assert.equal(checkApiKey('anthropic', ` ${key}\n`), undefined);
    assert.equal(reason(checkApiKey('anthropic', TOKEN)), 'notApiKey');
    assert.match(checkApiKey('anthropic', TOKEN)?.message ?? '', /setup token, not an API key/);
    const hello = checkApiKey('anthropic', 'hello');
    assert.equal(reason(hello), 'notApiKey');
    assert.equal(
      hello?.message,
      'That is not an Anthropic API key: one starts with sk-ant-api (such as sk-ant-api03-…) and has at least 40 letters, digits, "-" and "_". Copy it again from the Anthropic Console.',
    );
    assert.equal(reason(checkApiKey('anthropic', key.slice(0, 39))), 'notApiKey');
    assert.equal(checkApiKey('anthropic', key.slice(0, 40)), undefined);
    assert.equal(reason(checkApiKey('anthropic', `${key}!`)), 'notApiKey');
    assert.equal(reason(checkApiKey('anthropic', '')), 'missingSecret');
  });

  it("takes another provider's key of 20 or more token characters", () => {
    assert.equal(checkApiKey('openai', 'sk-proj-CODEXPROFILEKEY0123456789abcdef'), undefined);
    assert.equal(checkApiKey('openai', 'a'.repeat(20)), undefined);
    assert.equal(reason(checkApiKey('openai', 'a'.repeat(19))), 'notApiKey');
    assert.match(checkApiKey('openai', 'hello')?.message ?? '', /at least 20 letters/);
    assert.equal(reason(checkApiKey('openai', `${'a'.repeat(20)}.`)), 'notApiKey');
  });
});

describe('endpoint keys (input::endpoint_key, input::check_opaque)', () => {
  it('takes none for a local server, needs one for a gateway, and refuses spaces and control characters', () => {
    assert.equal(checkEndpointKey('ollama', ''), undefined);
    assert.equal(checkEndpointKey('ollama', ' k-1 '), undefined);
    assert.equal(reason(checkEndpointKey('anthropic-compatible', '  ')), 'missingSecret');
    for (const bad of ['a\r\nb: c', 'a b', 'a\u0000', 'é']) assert.equal(reason(checkEndpointKey('ollama', bad)), 'badSecret', JSON.stringify(bad));
  });

  it('dispatches by type as Profiles::add does', () => {
    assert.equal(reason(checkSecret('anthropic', 'token', 'hello')), 'wrongPrefix');
    assert.equal(reason(checkSecret('anthropic', 'api_key', 'hello')), 'notApiKey');
    assert.equal(reason(checkSecret('anthropic-compatible', 'endpoint', '')), 'missingSecret');
    assert.equal(checkSecret('openai-codex', 'oauth', ''), undefined);
  });
});

describe('names (input::check_name)', () => {
  it('takes what the sidecar takes, trimmed', () => {
    for (const good of ['work-2', ' local-1.x ', '_x', 'a.b', 'A_B-c.d', 'n'.repeat(64)]) assert.equal(checkName(good), undefined, good);
  });

  it("refuses what the sidecar refuses, each with its own words (the agents' own sign-in names from the registry)", () => {
    const reserved = new AgentCliStore(AGENTS).ownProfileNames;
    for (const bad of ['', ' ', 'a b', 'a:b', 'claude-cli', 'codex-cli', '.', '..', '.hidden', 'a..b', '-x', 'x.lock', 'x.', 'a\u200Bb', 'n'.repeat(65), 'é']) {
      assert.equal(reason(checkName(bad, reserved)), 'badName', JSON.stringify(bad));
    }
    assert.equal(checkName('codex-cli'), undefined, 'no agent listed, no name reserved');
    assert.match(checkName('')?.message ?? '', /Give the profile a name/);
    assert.match(checkName('my work')?.message ?? '', /no spaces or ":"/);
    assert.match(checkName(' codex-cli ', reserved)?.message ?? '', /CLI's own sign-in/);
    assert.match(checkName('-x')?.message ?? '', /not "-"/);
    assert.match(checkName('x.lock')?.message ?? '', /\.lock/);
    assert.match(checkName('a..b')?.message ?? '', /"\.\."/);
    assert.match(checkName('n'.repeat(65))?.message ?? '', /64 characters/);
  });
});

describe('endpoint URLs (input::base_url, Profiles::endpoint)', () => {
  it('takes http(s) URLs with a host', () => {
    for (const good of ['http://localhost:11434/', 'https://gw.example/v1', ' http://127.0.0.1:9 ', 'http://[::1]:8080', 'https://gw.example.com/anthropic']) {
      assert.equal(checkBaseUrl(good), undefined, good);
    }
  });

  it('refuses the sidecar test cases', () => {
    const bad = [
      'localhost:11434',
      'ftp://x',
      'http://',
      'http://u:p@h',
      'http://a b',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'http://h/?q',
      'http://h/#f',
      'http://u@h',
      'HTTP://h',
      'http://h:99999',
      `http://h/${'p'.repeat(MAX_URL)}`,
    ];
    for (const url of bad) assert.equal(reason(checkBaseUrl(url)), 'badUrl', url);
    assert.match(checkBaseUrl('localhost:11434')?.message ?? '', /http:\/\/ or https:\/\/ URL such as http:\/\/localhost:11434/);
  });

  it('takes a blank URL where the provider has a default', () => {
    assert.equal(checkEndpointUrl('ollama', '  '), undefined);
    assert.equal(checkEndpointUrl('lmstudio', ''), undefined);
    assert.equal(reason(checkEndpointUrl('anthropic-compatible', '')), 'badUrl');
    assert.match(checkEndpointUrl('anthropic-compatible', '')?.message ?? '', /gateway's base URL/);
  });
});

describe("Rust's whitespace", () => {
  it('trims and squeezes what Rust does, not what JavaScript does', () => {
    assert.equal(rustTrim('\u0085 a \u3000'), 'a');
    assert.equal(rustTrim('\uFEFFa'), '\uFEFFa');
    assert.equal(squeeze('a\u2028b c\td'), 'abcd');
  });
});
