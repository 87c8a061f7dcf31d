// The local branches of a repository for the base-ref picker of New Workspace, the one git question the extension still asks itself (the sidecar answers every other, e.g. `grove/repo/info`); no vscode import.
import { execFile } from 'node:child_process';

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
