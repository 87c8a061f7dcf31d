// Unit tests of setupOutput: lines of a setup script reach the create that waits for them, and no other.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SetupOutput } from '../common/protocol';
import { SetupOutputRouter } from './setupOutput';
import { OTHER_REPO, REPO, workspace } from './workspaceFixtures';

const line = (workspaceId: string, text: string): SetupOutput => ({ workspaceId, stream: 'stdout', line: text });

describe('SetupOutputRouter', () => {
  it('binds a create to the first new workspace of its repository and name', () => {
    const router = new SetupOutputRouter();
    const got: string[] = [];
    const pending = router.expect(REPO, 'fix-login', ['old'], (o) => got.push(o.line));
    router.workspaceSeen(workspace({ id: 'old', name: 'fix-login' }));
    router.workspaceSeen(workspace({ id: 'x', name: 'fix-login', repoPath: OTHER_REPO }));
    router.workspaceSeen(workspace({ id: 'y', name: 'other' }));
    assert.equal(router.line(line('y', 'not mine')), false);
    router.workspaceSeen(workspace({ id: 'new', name: 'fix-login' }));
    assert.equal(router.line(line('new', 'npm ci')), true);
    pending.dispose();
    assert.equal(router.line(line('new', 'after')), false);
    assert.deepEqual(got, ['npm ci']);
  });

  it('takes any new workspace of the repository when the name is generated, and binds on the answer too', () => {
    const router = new SetupOutputRouter();
    const got: string[] = [];
    router.expect(REPO, undefined, [], (o) => got.push(o.line));
    router.workspaceSeen(workspace({ id: 'gen', name: 'calm-fern' }));
    router.line(line('gen', 'one'));
    const other = router.expect(REPO, undefined, [], (o) => got.push(`b:${o.line}`));
    other.bind('late');
    router.line(line('late', 'two'));
    assert.deepEqual(got, ['one', 'b:two']);
  });
});
