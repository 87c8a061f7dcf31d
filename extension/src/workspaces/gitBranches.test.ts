// Unit tests of gitBranches against real git: local branches and the current one, also in a linked worktree (main checkouts and uncommitted files are the sidecar's grove/repo/info, checked in tests/contract).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { localBranches } from './gitBranches';

describe('gitBranches', () => {
  let dir: string;
  let repo: string;
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

  before(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'grove-gitrepos-')));
    repo = join(dir, 'repo');
    mkdirSync(join(repo, 'src'), { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'user.name', 'Test');
    git(repo, 'config', 'user.email', 'test@example.invalid');
    writeFileSync(join(repo, 'README.md'), '# hi\n');
    writeFileSync(join(repo, 'src', 'a.ts'), 'a\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'first');
    git(repo, 'branch', 'dev');
    git(repo, 'worktree', 'add', '-q', '-b', 'topic', join(dir, 'wt'));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists local branches and the current one', async () => {
    const { branches, current } = await localBranches(repo);
    assert.deepEqual([...branches].sort(), ['dev', 'main', 'topic']);
    assert.equal(current, 'main');
    assert.equal((await localBranches(join(dir, 'wt'))).current, 'topic');
  });
});
