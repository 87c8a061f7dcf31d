// Keeps the WorkspaceStore in step with the sidecar: loads workspaces and runs at each start, follows their notifications, and asks for changed files when a worktree's files change (debounced).
import * as vscode from 'vscode';
import { ChangesScheduler } from './changesScheduler';
import { sidecarError } from '../common/errors';
import {
  AgentListRequest,
  AgentStateChanged,
  ErrorCodes,
  RepoInfoRequest,
  WorkspaceChanged,
  WorkspaceChangesRequest,
  WorkspaceListRequest,
  WorkspaceSetupOutput,
  type Run,
  type SetupOutput,
  type Workspace,
} from '../common/protocol';
import { SetupOutputRouter } from './setupOutput';
import type { Sidecar } from '../sidecar/sidecar';
import type { WorkspaceStore } from './workspaceStore';

interface Watch {
  path: string;
  watcher: vscode.FileSystemWatcher;
}

export class WorkspaceSync implements vscode.Disposable {
  /** Where "New Workspace" listens for its setup script's lines. */
  readonly setupOutput = new SetupOutputRouter();
  private readonly scheduler = new ChangesScheduler((id) => this.fetchChanges(id));
  private readonly watches = new Map<string, Watch>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private loads = 0;
  /** Counts notifications, so that a load that raced one is done again. */
  private notifications = 0;

  constructor(
    private readonly sidecar: Sidecar,
    private readonly store: WorkspaceStore,
    private readonly output: vscode.OutputChannel,
  ) {
    sidecar.onNotification(WorkspaceChanged, ({ workspace, removed }) => {
      this.workspaceChanged(workspace, removed);
    });
    sidecar.onNotification(WorkspaceSetupOutput, (line) => {
      this.setupLine(line);
    });
    sidecar.onNotification(AgentStateChanged, (run) => {
      this.runChanged(run);
    });
    this.subscriptions.push(
      sidecar.onDidStart(() => {
        void this.reload();
      }),
      sidecar.onDidBecomeUnavailable((message) => {
        store.setStatus({ kind: 'unavailable', message });
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        void this.reload();
      }),
      // Files may have changed while the window was in the background (an agent, another editor).
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused) this.refreshChanges();
      }),
    );
  }

  /**
   * Loads everything again: the repositories of the folders, every workspace, every run, then the
   * changes. A notification that arrived meanwhile may be older than the answers: loaded once more.
   */
  async reload(again = true): Promise<void> {
    const load = ++this.loads;
    const seen = this.notifications;
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    try {
      const perFolder = await Promise.all(folders.map((folder) => this.folderRepository(folder)));
      const [all, runs] = await Promise.all([
        this.sidecar.sendRequest(WorkspaceListRequest, {}),
        this.sidecar.sendRequest(AgentListRequest, {}).catch((error: unknown) => {
          this.log(`listing agent runs failed: ${sidecarError(error).message}`);
          return { runs: [] as Run[] };
        }),
      ]);
      if (load !== this.loads) return;
      const roots = perFolder.filter((r): r is string => r !== undefined);
      this.store.load(roots, all.workspaces, runs.runs);
    } catch (error) {
      if (load !== this.loads) return;
      const message = `Grove could not list the workspaces: ${sidecarError(error).message}`;
      this.log(message);
      this.store.setStatus({ kind: 'unavailable', message });
      return;
    }
    this.syncWatches();
    for (const ws of this.store.workspaces()) if (ws.state === 'active') this.scheduler.schedule(ws.id, 0);
    if (again && this.notifications !== seen) void this.reload(false);
  }

  /** Asks again for the changed files of every active workspace (debounced). */
  refreshChanges(): void {
    for (const ws of this.store.workspaces()) if (ws.state === 'active') this.scheduler.schedule(ws.id);
  }

  /** Asks for one workspace's changed files soon. */
  refreshWorkspace(id: string): void {
    this.scheduler.schedule(id, 0);
  }

  /** A workspace a request answered with (create, archive, restore): applied at once, without waiting for the notification. */
  workspaceChanged(ws: Workspace, removed: boolean): void {
    this.notifications++;
    if (!removed) this.setupOutput.workspaceSeen(ws);
    this.store.workspaceChanged(ws, removed);
    if (removed || ws.state !== 'active') {
      this.scheduler.forget(ws.id);
    } else {
      this.scheduler.schedule(ws.id);
    }
    this.syncWatches();
  }

  dispose(): void {
    this.scheduler.dispose();
    for (const watch of this.watches.values()) watch.watcher.dispose();
    this.watches.clear();
    for (const s of this.subscriptions) s.dispose();
  }

  /** The main checkout of a folder, as the sidecar names it (`grove/repo/info`); undefined outside a repository. */
  private async folderRepository(folder: string): Promise<string | undefined> {
    try {
      return (await this.sidecar.sendRequest(RepoInfoRequest, { path: folder })).mainRoot;
    } catch (error) {
      const failure = sidecarError(error);
      if (failure.code !== ErrorCodes.NotARepository) throw error;
      return undefined;
    }
  }

  private runChanged(run: Run): void {
    this.notifications++;
    this.store.runChanged(run);
    if (run.state !== 'queued' && run.state !== 'running' && run.state !== 'waiting') this.scheduler.schedule(run.workspaceId);
  }

  private setupLine(line: SetupOutput): void {
    const name = this.store.workspace(line.workspaceId)?.name ?? line.workspaceId;
    this.output.appendLine(`[setup ${name}${line.stream === 'stderr' ? ' stderr' : ''}] ${line.line}`);
    this.setupOutput.line(line);
  }

  private async fetchChanges(id: string): Promise<void> {
    if (this.store.workspace(id)?.state !== 'active') return;
    try {
      const changes = await this.sidecar.sendRequest(WorkspaceChangesRequest, { id });
      this.store.setChanges(id, { kind: 'known', changes });
    } catch (error) {
      const failure = sidecarError(error);
      if (failure.code === ErrorCodes.NotFound) return;
      this.log(`changes of ${id}: ${failure.message}`);
      this.store.setChanges(id, { kind: 'failed', message: failure.message });
    }
  }

  /** One recursive watcher per active worktree: any file event asks (debounced) for its changes again. */
  private syncWatches(): void {
    const wanted = new Map<string, string>();
    for (const ws of this.store.workspaces()) if (ws.state === 'active' && ws.path !== '') wanted.set(ws.id, ws.path);
    for (const [id, watch] of this.watches) {
      if (wanted.get(id) !== watch.path) {
        watch.watcher.dispose();
        this.watches.delete(id);
      }
    }
    for (const [id, path] of wanted) {
      if (this.watches.has(id)) continue;
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path), '**/*'));
      const changed = () => {
        this.scheduler.schedule(id);
      };
      watcher.onDidCreate(changed);
      watcher.onDidChange(changed);
      watcher.onDidDelete(changed);
      this.watches.set(id, { path, watcher });
    }
  }

  private log(line: string): void {
    this.output.appendLine(`[grove ${new Date().toLocaleTimeString()}] workspaces: ${line}`);
  }
}
