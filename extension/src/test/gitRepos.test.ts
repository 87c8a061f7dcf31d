// Unit tests of gitRepos against real git: main checkouts (also from a linked worktree), local branches, uncommitted files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { localBranches, mainCheckout, uncommittedFiles } from '../gitRepos';

describe('gitRepos', () => {
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

  it('finds the main checkout from itself, a subfolder and a linked worktree', async () => {
    assert.equal(await mainCheckout(repo), repo);
    assert.equal(await mainCheckout(join(repo, 'src')), repo);
    assert.equal(await mainCheckout(join(dir, 'wt')), repo);
  });

  it('answers undefined outside a repository', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'grove-nogit-'));
    try {
      assert.equal(await mainCheckout(outside), undefined);
      assert.equal(await mainCheckout(join(outside, 'missing')), undefined);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('lists local branches and the current one', async () => {
    const { branches, current } = await localBranches(repo);
    assert.deepEqual([...branches].sort(), ['dev', 'main', 'topic']);
    assert.equal(current, 'main');
    assert.equal((await localBranches(join(dir, 'wt'))).current, 'topic');
  });

  it('lists uncommitted and untracked files', async () => {
    const wt = join(dir, 'wt');
    assert.deepEqual(await uncommittedFiles(wt), []);
    writeFileSync(join(wt, 'README.md'), 'changed\n');
    mkdirSync(join(wt, 'new'));
    writeFileSync(join(wt, 'new', 'b.txt'), 'b\n');
    git(wt, 'mv', 'src/a.ts', 'src/renamed.ts');
    assert.deepEqual((await uncommittedFiles(wt)).sort(), ['README.md', 'new/b.txt', 'src/renamed.ts']);
  });
});
