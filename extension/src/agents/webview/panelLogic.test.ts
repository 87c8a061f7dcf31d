// Unit tests of what the agent panel's webview script decides without the page: the saved state read back, a picker's value, elapsed time, a question card's answers and the Alt+key shortcuts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentToShow, collectAnswers, formatElapsed, isRequestAction, pickValue, readSaved, shortcutAction, type RequestAction } from './panelLogic';

describe('the saved state of the panel', () => {
  it('reads back the draft and the pickers, and drops what is not of their type', () => {
    assert.deepEqual(readSaved({ draft: 'hi', model: 'opus', profile: 'anthropic:work', permissionMode: 'plan', newSession: true }), {
      draft: 'hi',
      model: 'opus',
      profile: 'anthropic:work',
      permissionMode: 'plan',
      newSession: true,
    });
    assert.deepEqual(readSaved({ draft: 3, model: null, newSession: 'yes', other: 'x' }), {});
    assert.deepEqual(readSaved(undefined), {});
    assert.deepEqual(readSaved('draft'), {});
  });
});

describe('a picker', () => {
  const choices = [{ value: '' }, { value: 'sonnet' }, { value: 'opus' }];
  it('keeps the wanted value when it is a choice, else takes the first', () => {
    assert.equal(pickValue(choices, 'opus'), 'opus');
    assert.equal(pickValue(choices, 'gpt-5'), '');
    assert.equal(pickValue([{ value: 'qwen' }], ''), 'qwen');
    assert.equal(pickValue([], 'opus'), '');
  });
});

describe('the agent picker', () => {
  const choices = [{ value: 'claude' }, { value: 'codex' }];
  it("shows the agent the user chose while it is listed, else the host's default", () => {
    assert.equal(agentToShow(choices, 'claude', 'codex'), 'codex');
    assert.equal(agentToShow(choices, 'codex', undefined), 'codex');
    assert.equal(agentToShow(choices, 'claude', 'gone'), 'claude');
  });
});

describe('the elapsed time', () => {
  it('counts whole seconds, then minutes, then hours', () => {
    assert.equal(formatElapsed(12_400), '12 s');
    assert.equal(formatElapsed(125_000), '2 min 5 s');
    assert.equal(formatElapsed(3_780_000), '1 h 3 min');
    assert.equal(formatElapsed(-5), '0 s');
  });
});

describe('a question card', () => {
  it('answers each question with its chosen labels, leaving out the unanswered', () => {
    assert.deepEqual(
      collectAnswers([
        { question: 'Which?', chosen: ['A'] },
        { question: 'Which ones?', chosen: ['B', 'C'] },
        { question: 'Skipped?', chosen: [] },
      ]),
      { 'Which?': 'A', 'Which ones?': 'B, C' },
    );
  });
});

describe('the Alt+key shortcuts on the oldest waiting card', () => {
  const alt = (code: string, extra: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
    code,
    altKey: true,
    ctrlKey: false,
    metaKey: false,
    ...extra,
  });
  const permission = (a: RequestAction) => a === 'allow' || a === 'allowAlways' || a === 'deny';
  const questions = (a: RequestAction) => a === 'submitAnswers' || a === 'deny';

  it('allows, always allows and denies a permission request', () => {
    assert.equal(shortcutAction(alt('KeyA'), permission, false), 'allow');
    assert.equal(shortcutAction(alt('KeyW'), permission, false), 'allowAlways');
    assert.equal(shortcutAction(alt('KeyD'), permission, false), 'deny');
    // The message row is open: Alt+D again sends the denial.
    assert.equal(shortcutAction(alt('KeyD'), permission, true), 'denySend');
  });

  it('submits the answers of questions, which have no "always"', () => {
    assert.equal(shortcutAction(alt('KeyA'), questions, false), 'submitAnswers');
    assert.equal(shortcutAction(alt('KeyW'), questions, false), undefined);
  });

  it('ignores other keys, and Alt with Ctrl or Cmd', () => {
    assert.equal(shortcutAction(alt('KeyX'), permission, false), undefined);
    assert.equal(shortcutAction(alt('KeyA', { ctrlKey: true }), permission, false), undefined);
    assert.equal(shortcutAction(alt('KeyA', { metaKey: true }), permission, false), undefined);
    assert.equal(shortcutAction(alt('KeyA', { altKey: false }), permission, false), undefined);
  });

  it('knows the request actions the host renders', () => {
    assert.ok(isRequestAction('denySend'));
    assert.ok(!isRequestAction('rm -rf'));
    assert.ok(!isRequestAction(undefined));
  });
});
