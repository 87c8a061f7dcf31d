// The few git questions the extension asks itself: the main checkout of a folder, the local branches for the base-ref picker, a worktree's uncommitted files; no vscode import.
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';

const TIMEOUT_MS = 10_000;

/** Runs git in `cwd` and answers its stdout; rejects with git's last stderr line. */
export function git(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolveOut, reject) => {
    execFile(
      'git',
      [...args],
      { cwd, timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
      (error, stdout, stderr) => {
        if (error) {
          const last = stderr.trim().split('\n').pop();
          reject(new Error(last !== undefined && last !== '' ? last : error.message));
        } else {
          resolveOut(stdout);
        }
      },
    );
  });
}

/**
 * The main checkout of the repository `folder` is in (also when `folder` is one of its linked
 * worktrees), as the sidecar names it (real path); undefined when `folder` is not in a work tree.
 */
export async function mainCheckout(folder: string): Promise<string | undefined> {
  let out: string;
  try {
    out = await git(folder, ['rev-parse', '--is-inside-work-tree', '--show-toplevel', '--git-dir', '--git-common-dir']);
  } catch {
    return undefined;
  }
  const [inside, top, gitDir, commonDir] = out.split('\n');
  if (inside !== 'true' || !top || !gitDir || !commonDir) return undefined;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(folder, p));
  // A linked worktree has its own git dir; the main checkout is the folder above the common one.
  const root = abs(gitDir) === abs(commonDir) ? top : dirname(abs(commonDir));
  return realpath(root).catch(() => root);
}

/** Local branches (as `git for-each-ref` lists them) and the branch checked out in `repo` (undefined when detached). */
export async function localBranches(repo: string): Promise<{ branches: string[]; current: string | undefined }> {
  const [list, head] = await Promise.all([
    git(repo, ['for-each-ref', '--format=%(refname:short)', 'refs/heads']),
    git(repo, ['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => ''),
  ]);
  const branches = list.split('\n').filter((b) => b !== '');
  const current = head.trim();
  return { branches, current: current === '' ? undefined : current };
}

/** The uncommitted or untracked files of a worktree (ignored ones left out), as `git status` names them. */
export async function uncommittedFiles(worktree: string): Promise<string[]> {
  const out = await git(worktree, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const files: string[] = [];
  const entries = out.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry === undefined || entry.length < 4) continue;
    files.push(entry.slice(3));
    // A rename or copy is followed by its old path.
    if (entry.startsWith('R') || entry.startsWith('C')) i++;
  }
  return files;
}
