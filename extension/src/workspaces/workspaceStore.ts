// What the Workspaces view knows: workspaces by repository, their changed files, git status and latest agent run, and who is told of a change; no vscode import.
import type { GitStatus, Run, Workspace, WorkspaceChanges } from '../common/protocol';

/** The changed files of an active workspace, as last asked for. */
export type ChangesEntry = { kind: 'known'; changes: WorkspaceChanges } | { kind: 'failed'; message: string };

/** Whether the view has data to show, and if not, why. */
export type StoreStatus = { kind: 'loading' } | { kind: 'ready' } | { kind: 'unavailable'; message: string };

type Listener = () => void;

/** True when `a` was asked for after `b` (the run to show for a workspace is the latest). */
export function isLaterRun(a: Run, b: Run): boolean {
  const ta = Date.parse(a.createdAt);
  const tb = Date.parse(b.createdAt);
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta > tb;
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt;
  return a.runId > b.runId;
}

/** The latest run of each workspace, from `grove/agent/list` (any order). */
export function latestRuns(runs: readonly Run[]): Map<string, Run> {
  const latest = new Map<string, Run>();
  for (const run of runs) {
    const seen = latest.get(run.workspaceId);
    if (!seen || seen.runId === run.runId || isLaterRun(run, seen)) latest.set(run.workspaceId, run);
  }
  return latest;
}

/** Repository paths in the order the view shows them: the window's own first (as given), then the others by path. */
export function repositoryOrder(folderRepos: readonly string[], workspaces: Iterable<Workspace>): string[] {
  const order = [...new Set(folderRepos)];
  const others = new Set<string>();
  for (const ws of workspaces) if (!order.includes(ws.repoPath)) others.add(ws.repoPath);
  return [...order, ...[...others].sort()];
}

/** Active workspaces first, then by name. */
export function compareWorkspaces(a: Workspace, b: Workspace): number {
  if (a.state !== b.state) return a.state === 'active' ? -1 : 1;
  return a.name.localeCompare(b.name);
}

export class WorkspaceStore {
  private readonly byId = new Map<string, Workspace>();
  private readonly changesById = new Map<string, ChangesEntry>();
  private readonly gitStatusById = new Map<string, GitStatus>();
  private runsByWorkspace = new Map<string, Run>();
  private folders: string[] = [];
  private currentStatus: StoreStatus = { kind: 'loading' };
  private signedInValue = false;
  private readonly listeners = new Set<Listener>();

  get status(): StoreStatus {
    return this.currentStatus;
  }

  /** The repositories of the window's folders (main checkouts), in folder order. */
  get folderRepos(): readonly string[] {
    return this.folders;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Signed in, with no failure recorded: a run that needed sign-in can be retried now. */
  get signedIn(): boolean {
    return this.signedInValue;
  }

  setSignedIn(signedIn: boolean): void {
    if (signedIn === this.signedInValue) return;
    this.signedInValue = signedIn;
    this.fire();
  }

  setStatus(status: StoreStatus): void {
    this.currentStatus = status;
    this.fire();
  }

  /** Replaces everything after a (re)load: the repositories of the folders, every workspace and every run. */
  load(folderRepos: readonly string[], workspaces: readonly Workspace[], runs: readonly Run[]): void {
    this.folders = [...new Set(folderRepos)];
    this.byId.clear();
    for (const ws of workspaces) this.byId.set(ws.id, ws);
    for (const id of [...this.changesById.keys()]) {
      if (this.byId.get(id)?.state !== 'active') this.changesById.delete(id);
    }
    for (const id of [...this.gitStatusById.keys()]) {
      if (this.byId.get(id)?.state !== 'active') this.gitStatusById.delete(id);
    }
    this.runsByWorkspace = latestRuns(runs);
    this.currentStatus = { kind: 'ready' };
    this.fire();
  }

  /** A `grove/workspace/changed` notification (or the answer of a request that changed one). */
  workspaceChanged(ws: Workspace, removed: boolean): void {
    if (removed) {
      this.byId.delete(ws.id);
      this.changesById.delete(ws.id);
      this.gitStatusById.delete(ws.id);
      this.runsByWorkspace.delete(ws.id);
    } else {
      this.byId.set(ws.id, ws);
      if (ws.state !== 'active') {
        this.changesById.delete(ws.id);
        this.gitStatusById.delete(ws.id);
      }
    }
    this.fire();
  }

  /** A `grove/agent/stateChanged` notification: kept when it is the workspace's latest run. */
  runChanged(run: Run): void {
    const seen = this.runsByWorkspace.get(run.workspaceId);
    if (seen && seen.runId !== run.runId && !isLaterRun(run, seen)) return;
    this.runsByWorkspace.set(run.workspaceId, run);
    this.fire();
  }

  setChanges(id: string, entry: ChangesEntry): void {
    if (this.byId.get(id)?.state !== 'active') return;
    if (JSON.stringify(this.changesById.get(id)) === JSON.stringify(entry)) return;
    this.changesById.set(id, entry);
    this.fire();
  }

  /** A `grove/workspace/gitStatus` answer or `gitStatusChanged` notification; kept for active workspaces only. */
  setGitStatus(id: string, status: GitStatus): void {
    if (this.byId.get(id)?.state !== 'active') return;
    if (JSON.stringify(this.gitStatusById.get(id)) === JSON.stringify(status)) return;
    this.gitStatusById.set(id, status);
    this.fire();
  }

  /** Where an active workspace stands against its base, its remote and its pull request, as last told. */
  gitStatus(id: string): GitStatus | undefined {
    return this.gitStatusById.get(id);
  }

  workspace(id: string): Workspace | undefined {
    return this.byId.get(id);
  }

  workspaces(): Workspace[] {
    return [...this.byId.values()];
  }

  changes(id: string): ChangesEntry | undefined {
    return this.changesById.get(id);
  }

  latestRun(workspaceId: string): Run | undefined {
    return this.runsByWorkspace.get(workspaceId);
  }

  /** Repositories in display order. */
  repositories(): string[] {
    return repositoryOrder(this.folders, this.byId.values());
  }

  /** The workspaces of one repository, active first, then by name. */
  workspacesOf(repoPath: string): Workspace[] {
    return this.workspaces()
      .filter((ws) => ws.repoPath === repoPath)
      .sort(compareWorkspaces);
  }

  private fire(): void {
    for (const listener of this.listeners) listener();
  }
}
