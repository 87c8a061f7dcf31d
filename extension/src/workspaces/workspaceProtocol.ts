// Until common/protocol.ts declares them (issue 20's contract additions): `grove/workspace/checkName` and the `branch` of `grove/workspace/create`, as the workspaces feature sends them.
import { RequestType } from 'vscode-jsonrpc';
import type { WorkspaceCreateParams } from '../common/protocol';

/** `grove/workspace/checkName` params: could `name` be a new workspace of `repoPath`? */
export interface CheckNameParams {
  repoPath: string;
  name: string;
}

/**
 * Its answer: `ok`, or a one-line `message` saying why not. When the only obstacle is a local
 * branch `<prefix><name>` that no workspace or worktree uses (kept when a workspace was deleted),
 * `keptBranch` is that branch's full name.
 */
export interface CheckNameResult {
  ok: boolean;
  message: string | null;
  keptBranch: string | null;
}

export const WorkspaceCheckNameRequest = new RequestType<CheckNameParams, CheckNameResult, void>('grove/workspace/checkName');

/**
 * `grove/workspace/create` params with `branch`: an existing local branch to put the worktree on (no
 * new branch; `name` defaults to it without the prefix). Sent with common/protocol.ts's WorkspaceCreateRequest.
 */
export type CreateParams = WorkspaceCreateParams & { branch?: string };
