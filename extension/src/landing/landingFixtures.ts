// GitStatus answers shaped like the sidecar's, for the landing, workspace and agent-panel unit tests.
import type { GitStatus } from '../common/protocol';

/** A workspace level with its base, nothing uncommitted, not pushed, no pull request. */
export function gitStatus(overrides: Partial<GitStatus> = {}): GitStatus {
  return {
    branch: 'grove/fix-login',
    base: 'main',
    ahead: 0,
    behind: 0,
    uncommitted: 0,
    operation: null,
    conflicted: [],
    upstream: null,
    pullRequest: null,
    merged: false,
    ...overrides,
  };
}

/** A rebase stopped at conflicts in `files`. */
export function conflicted(files: string[] = ['src/login.ts'], overrides: Partial<GitStatus> = {}): GitStatus {
  return gitStatus({ ahead: 1, behind: 1, operation: 'rebase', conflicted: files, ...overrides });
}
