// Workspaces, runs and changes shaped like the sidecar's answers, for the workspace unit tests.
import type { FileChange, Run, Workspace, WorkspaceChanges } from '../common/protocol';

export const REPO = '/home/dev/src/shop';
export const OTHER_REPO = '/home/dev/src/blog';

export function workspace(overrides: Partial<Workspace> = {}): Workspace {
  const name = overrides.name ?? 'fix-login';
  return {
    id: `id-${name}`,
    name,
    repoPath: REPO,
    path: `/home/dev/.local/state/grove/worktrees/shop-0123abcd/${name}`,
    branch: `grove/${name}`,
    baseRef: 'main',
    baseCommit: '0123456789abcdef0123456789abcdef01234567',
    state: 'active',
    createdAt: '2026-11-21T10:00:00Z',
    port: 41000,
    setup: null,
    ...overrides,
  };
}

export function archived(overrides: Partial<Workspace> = {}): Workspace {
  return workspace({ state: 'archived', path: '', ...overrides });
}

export function run(overrides: Partial<Run> = {}): Run {
  return {
    runId: 'run-1',
    workspaceId: 'id-fix-login',
    state: 'running',
    prompt: 'Fix the login',
    sessionId: null,
    startedAt: '2026-11-21T10:01:00Z',
    endedAt: null,
    costUsd: null,
    error: null,
    createdAt: '2026-11-21T10:01:00Z',
    resumable: false,
    ...overrides,
  };
}

export function file(overrides: Partial<FileChange> = {}): FileChange {
  return { path: 'src/login.ts', status: 'modified', additions: 3, deletions: 1, ...overrides };
}

export function changes(files: FileChange[], ahead = 0, behind = 0): WorkspaceChanges {
  return { files, ahead, behind };
}
