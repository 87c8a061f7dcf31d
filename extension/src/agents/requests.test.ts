// Unit tests of the pending requests: kept from notifications, state changes and `pending` answers (without resurrecting answered ones), the count of waiting agents, the words for them, and the params of an answer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCodes } from '../common/protocol';
import {
  alwaysAllowWhat,
  maskSecrets,
  needsFollowUp,
  PendingRequests,
  planOf,
  questionsOf,
  requestNotification,
  requestSummary,
  respondParams,
  ruleLabel,
  waitingText,
  waitingTooltip,
} from './requests';
import { QUESTION, bashRequest, notOffered, request } from './requestFixtures';

describe('PendingRequests', () => {
  it('adds a request once, counts waiting agents (not requests), and tells listeners', () => {
    const store = new PendingRequests();
    let fired = 0;
    store.onDidChange(() => fired++);
    assert.equal(store.add(request()), true);
    assert.equal(store.add(request()), false, 'a repeat is ignored');
    assert.equal(store.add(request({ requestId: 'req-2', createdAt: '2026-12-02T08:00:01Z' })), true);
    assert.equal(store.add(request({ runId: 'run-2', workspaceId: 'ws-2', requestId: 'req-3', createdAt: '2026-12-02T07:59:00Z' })), true);
    assert.equal(fired, 3);
    assert.equal(store.waitingAgents, 2);
    assert.deepEqual(
      store.all().map((r) => r.requestId),
      ['req-3', 'req-1', 'req-2'],
      'oldest first',
    );
    assert.equal(store.oldest()?.runId, 'run-2');
    assert.deepEqual(
      store.ofRun('run-1').map((r) => r.requestId),
      ['req-1', 'req-2'],
    );
    assert.deepEqual(
      store.ofWorkspace('ws-2').map((r) => r.requestId),
      ['req-3'],
    );
  });

  it('drops a request when it is answered anywhere, and never takes it back', () => {
    const store = new PendingRequests();
    store.add(request());
    assert.equal(store.finish({ runId: 'run-1', requestId: 'req-1' }), true);
    assert.equal(store.waitingAgents, 0);
    assert.equal(store.finish({ runId: 'run-1', requestId: 'req-1' }), false);
    // A late notification of the same request (or a stale `pending` answer) does not bring it back.
    assert.equal(store.add(request()), false);
    store.replace([request()], store.mark());
    assert.equal(store.waitingAgents, 0);
  });

  it('drops the requests of a run that ended, and keeps them while it runs or waits', () => {
    const store = new PendingRequests();
    store.add(request());
    store.add(request({ runId: 'run-2', requestId: 'req-2' }));
    store.runChanged({ runId: 'run-1', state: 'waiting' });
    store.runChanged({ runId: 'run-1', state: 'running' });
    assert.equal(store.waitingAgents, 2);
    store.runChanged({ runId: 'run-1', state: 'cancelled' });
    assert.deepEqual(
      store.all().map((r) => r.runId),
      ['run-2'],
    );
  });

  it('takes a pending answer: lists what the sidecar lists, keeps what arrived since it was asked for', () => {
    const store = new PendingRequests();
    store.add(request({ requestId: 'gone' }));
    const since = store.mark();
    // Arrives while `pending` is on its way: not in its answer, but real.
    store.add(request({ requestId: 'new', createdAt: '2026-12-02T08:00:05Z' }));
    store.replace([request({ requestId: 'listed', createdAt: '2026-12-02T07:00:00Z' })], since);
    assert.deepEqual(
      store.all().map((r) => r.requestId),
      ['listed', 'new'],
    );
  });

  it('takes a pending answer for one workspace without touching the others', () => {
    const store = new PendingRequests();
    store.add(request({ workspaceId: 'ws-1', requestId: 'a' }));
    store.add(request({ workspaceId: 'ws-2', runId: 'run-2', requestId: 'b' }));
    store.replace([], store.mark(), 'ws-1');
    assert.deepEqual(
      store.all().map((r) => r.requestId),
      ['b'],
    );
  });

  it('forgets everything when the sidecar goes', () => {
    const store = new PendingRequests();
    store.add(request());
    store.clear();
    assert.equal(store.waitingAgents, 0);
    assert.equal(store.oldest(), undefined);
  });
});

describe('waiting words', () => {
  it('counts agents for the status bar, and hides at 0', () => {
    assert.equal(waitingText(0), undefined);
    assert.equal(waitingText(1), '$(bell) 1 agent waiting');
    assert.equal(waitingText(2), '$(bell) 2 agents waiting');
  });

  it('lists what each waits on in the tooltip', () => {
    const tooltip = waitingTooltip([request(), QUESTION], (id) => (id === 'ws-1' ? 'fix-login' : id));
    assert.match(tooltip, /^fix-login: Write notes\.txt\nfix-login: Which database\?\n/);
  });

  it('says what the agent asks, in one line, with secrets masked', () => {
    assert.equal(requestSummary(request()), 'Write notes.txt');
    assert.equal(requestSummary(QUESTION), 'Which database?');
    assert.equal(requestSummary(request({ kind: 'plan', toolName: 'ExitPlanMode', input: { plan: '# Plan' } })), 'to approve its plan');
    assert.equal(requestSummary(request({ toolName: 'Bash', description: '', input: { command: 'touch x\nrm y' } })), 'Bash: touch x');
    const secret = request({
      toolName: 'Bash',
      description:
        'Run GITHUB_TOKEN=ghp_abcdefghijklmnop curl -H "Authorization: Bearer abcdefghijklmnopqrstu" https://u:pw@example.com sk-ant-api03-SECRETSECRET',
    });
    const summary = requestNotification(secret, 'fix-login');
    assert.match(summary, /^Grove: Agent in “fix-login” asks: Run GITHUB_TOKEN=… curl/);
    for (const leak of ['ghp_abcdefghijklmnop', 'abcdefghijklmnopqrstu', ':pw@', 'SECRETSECRET']) assert.ok(!summary.includes(leak), summary);
    assert.equal(maskSecrets('plain words'), 'plain words');
  });

  it('names what Always allow would allow, and a rule in words', () => {
    assert.equal(alwaysAllowWhat(bashRequest('  npm test --watch', 'npm')), 'Bash commands starting with “npm”');
    assert.equal(alwaysAllowWhat(bashRequest('X=1 touch made.txt', 'touch')), 'Bash commands starting with “touch”');
    assert.equal(alwaysAllowWhat(request()), 'Write');
    assert.equal(alwaysAllowWhat(notOffered('“sh” runs other commands.', { toolName: 'Bash', input: { command: 'sh -c x' } })), undefined);
    assert.equal(alwaysAllowWhat(QUESTION), undefined);
    assert.equal(ruleLabel({ toolName: 'Bash', prefix: 'touch' }), 'Bash: commands starting with “touch”');
    assert.equal(ruleLabel({ toolName: 'Write' }), 'Write: every use');
  });

  it('reads questions and plans, leaving out what is malformed', () => {
    assert.deepEqual(questionsOf(QUESTION), [
      {
        question: 'Which database?',
        header: 'DB',
        options: [
          { label: 'Postgres', description: 'the usual' },
          { label: 'SQLite', description: 'a file' },
        ],
        multiSelect: false,
      },
    ]);
    assert.deepEqual(questionsOf(request({ input: { questions: [{ header: 'no question' }, 7] } })), []);
    assert.deepEqual(questionsOf(request({ input: null })), []);
    assert.equal(planOf(request({ input: { plan: '1. do it' } })), '1. do it');
    assert.equal(planOf(request({ input: {} })), '');
  });
});

describe('respondParams', () => {
  it('allows, with an edited Bash command as updatedInput (and none when unchanged)', () => {
    const bash = request({ toolName: 'Bash', input: { command: 'touch x', description: 'make x' } });
    assert.deepEqual(respondParams({ runId: 'run-1', requestId: 'req-1', behavior: 'allow', command: 'touch x' }, bash), {
      runId: 'run-1',
      requestId: 'req-1',
      behavior: 'allow',
    });
    assert.deepEqual(respondParams({ runId: 'run-1', requestId: 'req-1', behavior: 'allowAlways', command: 'touch y' }, bash), {
      runId: 'run-1',
      requestId: 'req-1',
      behavior: 'allowAlways',
      updatedInput: { command: 'touch y', description: 'make x' },
    });
  });

  it('denies with a message (blank: none), and sends answers only for questions', () => {
    assert.deepEqual(respondParams({ runId: 'r', requestId: 'q', behavior: 'deny', message: '  not now ' }, request()), {
      runId: 'r',
      requestId: 'q',
      behavior: 'deny',
      message: 'not now',
    });
    assert.deepEqual(respondParams({ runId: 'r', requestId: 'q', behavior: 'deny', message: '  ' }, request()), {
      runId: 'r',
      requestId: 'q',
      behavior: 'deny',
    });
    assert.deepEqual(respondParams({ runId: 'r', requestId: 'q', behavior: 'allow', answers: { 'Which database?': 'SQLite' } }, QUESTION), {
      runId: 'r',
      requestId: 'q',
      behavior: 'allow',
      answers: { 'Which database?': 'SQLite' },
    });
    // A question or plan cannot be always allowed: allowed once.
    assert.equal(respondParams({ runId: 'r', requestId: 'q', behavior: 'allowAlways' }, QUESTION).behavior, 'allow');
  });

  it('allows once where always allow is not offered (the sidecar would refuse it)', () => {
    const shell = notOffered('“bash” runs other commands.', { toolName: 'Bash', input: { command: 'bash -c x' } });
    assert.equal(respondParams({ runId: 'r', requestId: 'req-1', behavior: 'allowAlways' }, shell).behavior, 'allow');
    assert.equal(respondParams({ runId: 'r', requestId: 'req-1', behavior: 'allowAlways' }, bashRequest('touch x', 'touch')).behavior, 'allowAlways');
  });
});

describe('needsFollowUp', () => {
  it('is true for a run that no longer runs or is unknown, false for other failures', () => {
    assert.equal(needsFollowUp({ code: ErrorCodes.InvalidParams, message: 'x', data: { runId: 'r', reason: 'notRunning' } }), true);
    assert.equal(needsFollowUp({ code: ErrorCodes.NotFound, message: 'x', data: undefined }), true);
    assert.equal(needsFollowUp({ code: ErrorCodes.InvalidParams, message: 'The message is empty.', data: undefined }), false);
    assert.equal(needsFollowUp({ code: undefined, message: 'down', data: undefined }), false);
  });
});
