// Unit tests of workspaceStore: loading, notifications, the latest run per workspace, repository order and changes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { latestRuns, repositoryOrder, WorkspaceStore } from './workspaceStore';
import { archived, changes, file, OTHER_REPO, REPO, run, workspace } from './workspaceFixtures';

describe('latest runs', () => {
  it('keeps the run asked for last in each workspace', () => {
    const runs = [
      run({ runId: 'r1', createdAt: '2026-11-21T10:00:00Z', state: 'failed' }),
      run({ runId: 'r2', createdAt: '2026-11-21T10:05:00Z', state: 'queued' }),
      run({ runId: 'r3', workspaceId: 'other', createdAt: '2026-11-21T09:00:00Z' }),
    ];
    const latest = latestRuns(runs);
    assert.equal(latest.get('id-fix-login')?.runId, 'r2');
    assert.equal(latest.get('other')?.runId, 'r3');
    assert.equal(latestRuns([...runs].reverse()).get('id-fix-login')?.runId, 'r2');
  });

  it('follows state changes of the latest run and ignores older runs', () => {
    const store = new WorkspaceStore();
    store.load([REPO], [workspace()], [run({ runId: 'r2', createdAt: '2026-11-21T10:05:00Z', state: 'queued' })]);
    store.runChanged(run({ runId: 'r1', createdAt: '2026-11-21T10:00:00Z', state: 'failed' }));
    assert.equal(store.latestRun('id-fix-login')?.state, 'queued');
    store.runChanged(run({ runId: 'r2', createdAt: '2026-11-21T10:05:00Z', state: 'running' }));
    assert.equal(store.latestRun('id-fix-login')?.state, 'running');
    store.runChanged(run({ runId: 'r3', createdAt: '2026-11-21T10:09:00Z', state: 'authRequired' }));
    assert.equal(store.latestRun('id-fix-login')?.runId, 'r3');
  });
});

describe('repositories', () => {
  it('puts the window folders first, in their order, then the others by path', () => {
    const wss = [workspace({ repoPath: '/z' }), workspace({ repoPath: '/a' }), workspace({ repoPath: REPO })];
    assert.deepEqual(repositoryOrder([REPO, OTHER_REPO, REPO], wss), [REPO, OTHER_REPO, '/a', '/z']);
  });
});

describe('WorkspaceStore', () => {
  it('starts loading, is ready after a load, and tells listeners of each change', () => {
    const store = new WorkspaceStore();
    assert.equal(store.status.kind, 'loading');
    let fired = 0;
    store.onDidChange(() => fired++);
    store.load([REPO], [workspace()], []);
    assert.equal(store.status.kind, 'ready');
    assert.equal(fired, 1);
    store.workspaceChanged(workspace({ id: 'n', name: 'new' }), false);
    assert.deepEqual(
      store.workspacesOf(REPO).map((ws) => ws.name),
      ['fix-login', 'new'],
    );
    assert.equal(fired, 2);
  });

  it('drops a removed workspace with its changes and run', () => {
    const store = new WorkspaceStore();
    store.load([REPO], [workspace()], [run()]);
    store.setChanges('id-fix-login', { kind: 'known', changes: changes([file()]) });
    store.workspaceChanged(workspace(), true);
    assert.equal(store.workspace('id-fix-login'), undefined);
    assert.equal(store.changes('id-fix-login'), undefined);
    assert.equal(store.latestRun('id-fix-login'), undefined);
    assert.deepEqual(store.repositories(), [REPO]);
  });

  it('keeps changes of active workspaces only, and fires only when they differ', () => {
    const store = new WorkspaceStore();
    store.load([], [workspace(), archived({ id: 'old', name: 'old' })], []);
    let fired = 0;
    store.onDidChange(() => fired++);
    store.setChanges('old', { kind: 'known', changes: changes([file()]) });
    assert.equal(store.changes('old'), undefined);
    store.setChanges('id-fix-login', { kind: 'known', changes: changes([file()]) });
    store.setChanges('id-fix-login', { kind: 'known', changes: changes([file()]) });
    assert.equal(fired, 1);
    store.workspaceChanged(archived(), false);
    assert.equal(store.changes('id-fix-login'), undefined);
  });
});
