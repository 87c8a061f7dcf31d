// Unit tests of the agent texts outside the panel: command arguments, run-finished notifications, the parallel-agents notice, quick-pick rows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parallelNotice, promptTitle, runNotification, runRow, workspaceIdFromArg } from './agentNotices';
import type { Run } from '../common/protocol';

function run(overrides: Partial<Run> = {}): Run {
  return {
    runId: 'run-1',
    workspaceId: 'ws-1',
    state: 'succeeded',
    prompt: 'Fix the login bug\nand add a test',
    sessionId: null,
    startedAt: null,
    endedAt: null,
    costUsd: null,
    error: null,
    createdAt: '2026-11-21T10:00:00Z',
    resumable: false,
    ...overrides,
  };
}

describe('workspaceIdFromArg', () => {
  it('reads {workspaceId}, a workspace, or an id', () => {
    assert.equal(workspaceIdFromArg({ workspaceId: 'a' }), 'a');
    assert.equal(workspaceIdFromArg({ workspace: { id: 'b' } }), 'b');
    assert.equal(workspaceIdFromArg('c'), 'c');
  });

  it('is undefined without one (the palette)', () => {
    assert.equal(workspaceIdFromArg(undefined), undefined);
    assert.equal(workspaceIdFromArg({}), undefined);
    assert.equal(workspaceIdFromArg({ workspaceId: '' }), undefined);
    assert.equal(workspaceIdFromArg(''), undefined);
  });
});

describe('runNotification', () => {
  it('tells about success, failure and sign-in, not about cancel or running', () => {
    assert.deepEqual(runNotification(run(), 'fix-login'), {
      severity: 'info',
      message: 'Grove: the agent in “fix-login” finished: Fix the login bug',
    });
    assert.deepEqual(runNotification(run({ state: 'failed', error: 'exit 1' }), 'w'), {
      severity: 'error',
      message: 'Grove: the agent in “w” failed: exit 1',
    });
    assert.equal(runNotification(run({ state: 'authRequired', error: 'Invalid API key' }), 'w')?.severity, 'warning');
    assert.match(runNotification(run({ state: 'authRequired', error: 'Invalid API key' }), 'w')?.message ?? '', /sign in.*Invalid API key/);
    assert.equal(runNotification(run({ state: 'cancelled' }), 'w'), undefined);
    assert.equal(runNotification(run({ state: 'running' }), 'w'), undefined);
  });
});

describe('parallelNotice', () => {
  it('is due once, above 3', () => {
    assert.equal(parallelNotice(3, false), undefined);
    assert.equal(parallelNotice(undefined, false), undefined);
    assert.equal(parallelNotice(8, true), undefined);
    const notice = parallelNotice(8, false);
    assert.match(notice ?? '', /up to 8 agents/);
    assert.match(notice ?? '', /outside a subscription’s ordinary individual use/);
  });
});

describe('rows', () => {
  it('shortens prompts to their first line', () => {
    assert.equal(promptTitle('one\ntwo'), 'one');
    assert.equal(promptTitle('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
  });

  it('describes a run by workspace and state', () => {
    assert.deepEqual(runRow(run({ state: 'running' }), 'fix-login'), { label: 'Fix the login bug', description: 'fix-login · running' });
    assert.deepEqual(runRow(run({ state: 'queued' }), undefined), { label: 'Fix the login bug', description: 'ws-1 · queued' });
  });
});
