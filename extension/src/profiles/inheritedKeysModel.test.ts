// Unit tests of the one-time offer of inherited API keys: each variable once, the offer's words from the registry's kinds, and the profile name asked for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inheritedDefaultName, inheritedNameProblem, inheritedOffer, keysToOffer } from './inheritedKeysModel';
import { AGENTS, TERMINAL_AGENT } from '../agentClis/agentCliFixtures';
import type { InheritedKey } from '../common/protocol';

const GEMINI: InheritedKey = { variable: 'GEMINI_API_KEY', provider: 'google', kind: 'geminiKey', agent: 'gemini' };
const OPENAI: InheritedKey = { variable: 'OPENAI_API_KEY', provider: 'openai', kind: 'openaiKey', agent: 'codex' };
const KINDS = [...AGENTS, TERMINAL_AGENT].flatMap((a) => a.profileKinds);

describe('inherited keys', () => {
  it('offers each variable once: never one offered before (whatever the answer was), nor one twice', () => {
    assert.deepEqual(keysToOffer([OPENAI, GEMINI], []), [OPENAI, GEMINI]);
    assert.deepEqual(keysToOffer([OPENAI, GEMINI], ['OPENAI_API_KEY']), [GEMINI]);
    assert.deepEqual(keysToOffer([OPENAI, { ...OPENAI, kind: 'other', agent: 'other' }], []), [OPENAI]);
    assert.deepEqual(keysToOffer([], ['X']), []);
  });

  it('says which variable is set, that no agent gets it, and the kind of profile by its label', () => {
    assert.equal(
      inheritedOffer(GEMINI, KINDS),
      'GEMINI_API_KEY is set in VS Code\'s environment. Grove never passes inherited keys to agents; add it as a "Gemini API key" profile?',
    );
    assert.match(inheritedOffer(OPENAI, KINDS), /add it as a "OpenAI API key \(Codex\)" profile\?$/);
    // A kind the registry does not list (yet): its id.
    assert.match(inheritedOffer({ variable: 'X_KEY', kind: 'xKey' }, KINDS), /add it as a "xKey" profile\?$/);
  });

  it('asks a name by the sidecar\'s rules, "env" first, never an own sign-in\'s or a taken one', () => {
    assert.equal(inheritedDefaultName('google', []), 'env');
    assert.equal(inheritedDefaultName('google', ['google:env', 'openai:env-2']), 'env-2');
    assert.equal(inheritedNameProblem('env', 'google', [], ['gemini-cli']), undefined);
    assert.match(inheritedNameProblem('', 'google', [], []) ?? '', /Give the profile a name/);
    assert.match(inheritedNameProblem('my key', 'google', [], []) ?? '', /letters, digits/);
    assert.match(inheritedNameProblem('gemini-cli', 'google', [], ['gemini-cli']) ?? '', /the CLI's own sign-in/);
    assert.equal(inheritedNameProblem('env', 'google', ['google:env'], []), 'There is a profile google:env already: choose another name.');
    assert.equal(inheritedNameProblem('env', 'openai', ['google:env'], []), undefined);
  });
});
