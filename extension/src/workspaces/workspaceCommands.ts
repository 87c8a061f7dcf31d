// The workspace commands (New Workspace, Open in New Window, Open Terminal Here, Show Changes, Archive, Restore, Delete, Refresh): pickers, progress, confirmations and errors around the sidecar's requests.
import * as vscode from 'vscode';
import { openAllChanges, openChange } from './baseContent';
import { Commands, InternalCommands, Settings } from '../common/commands';
import { sidecarError, type SidecarError } from '../common/errors';
import { isRecord } from '../common/json';
import {
  ErrorCodes,
  RepoInfoRequest,
  WorkspaceArchiveRequest,
  WorkspaceChangesRequest,
  WorkspaceCheckNameRequest,
  WorkspaceCreateRequest,
  WorkspaceDeleteRequest,
  WorkspaceRestoreRequest,
  type Workspace,
  type WorkspaceCreateParams,
} from '../common/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import { askName } from './nameStep';
import type { ResultSeen } from './resultSeen';
import {
  archiveDirtyConfirmation,
  baseName,
  deleteConfirmation,
  deleteForceConfirmation,
  dirtyFiles,
  failureMessage,
  keptBranchChoices,
  orderBranches,
  relativeTo,
  restoredMessage,
  terminalsQuestion,
  unsavedInWorktree,
  unsavedQuestion,
  workspaceArgument,
  type NameAnswer,
  type WorktreeVerb,
} from './workspaceModel';
import type { WorkspaceStore } from './workspaceStore';
import type { WorkspaceSync } from './workspaceSync';
import type { WorktreeViews } from './worktreeViews';

const SHOW_LOGS = 'Show Logs';
const OPEN_TERMINAL_HERE = 'Open Terminal Here';
/** JSON-RPC's "method not found": a sidecar older than the request. */
const METHOD_NOT_FOUND = -32601;
const PROGRESS_LINE_MAX = 120;

export interface WorkspaceCommandDeps {
  sidecar: Sidecar;
  store: WorkspaceStore;
  sync: WorkspaceSync;
  output: vscode.OutputChannel;
  views: WorktreeViews;
  seen: ResultSeen;
}

export function registerWorkspaceCommands(deps: WorkspaceCommandDeps): vscode.Disposable[] {
  const c = new WorkspaceCommandHandlers(deps);
  const register = (id: string, run: (arg: unknown) => Promise<void>) => vscode.commands.registerCommand(id, run);
  return [
    register(Commands.newWorkspace, (arg) => c.newWorkspace(arg)),
    register(Commands.openWorkspaceInNewWindow, (arg) => c.openInNewWindow(arg)),
    register(Commands.openWorkspaceTerminal, (arg) => c.openTerminal(arg)),
    register(Commands.showWorkspaceChanges, (arg) => c.showChanges(arg)),
    register(Commands.archiveWorkspace, (arg) => c.archive(arg)),
    register(Commands.restoreWorkspace, (arg) => c.restore(arg)),
    register(Commands.deleteWorkspace, (arg) => c.delete(arg)),
    register(Commands.refreshWorkspaces, () => c.refresh()),
    register(Commands.openChange, (arg) => c.openChange(arg)),
    // Not contributed (no palette entry): the agent panel says it showed a finished run; a result row opens one.
    vscode.commands.registerCommand(InternalCommands.markResultSeen, (workspaceId: unknown, runId: unknown) => {
      c.markResultSeen(workspaceId, runId);
    }),
    vscode.commands.registerCommand(InternalCommands.openRunResult, (workspaceId: unknown, runId: unknown) => c.openRunResult(workspaceId, runId)),
  ];
}

class WorkspaceCommandHandlers {
  private readonly sidecar: Sidecar;
  private readonly store: WorkspaceStore;
  private readonly sync: WorkspaceSync;
  private readonly output: vscode.OutputChannel;
  private readonly views: WorktreeViews;
  private readonly seen: ResultSeen;

  constructor(deps: WorkspaceCommandDeps) {
    ({ sidecar: this.sidecar, store: this.store, sync: this.sync, output: this.output, views: this.views, seen: this.seen } = deps);
  }

  // -------------------------------------------------------------------------------------------
  // New Workspace

  /** `typed`: what the name box starts with (the name a refusal brings the user back with). */
  async newWorkspace(arg: unknown, typed = ''): Promise<void> {
    const repoPath = await this.pickRepository(arg);
    if (repoPath === undefined) return;
    const taken = this.store.workspacesOf(repoPath).map((ws) => ws.name);
    const prefix = vscode.workspace.getConfiguration(Settings.section).get<string>('branchPrefix')?.trim();
    for (;;) {
      const answer = await askName({
        title: `New Grove Workspace in ${baseName(repoPath)}`,
        prompt: `The workspace's name; its branch is ${prefix === undefined || prefix === '' ? 'grove/' : prefix}<name>. Leave empty for a generated name.`,
        // Typed as people write it ("Fix Login!"), offered as a name git takes ("fix-login").
        placeholder: 'e.g. Fix login (empty: a generated name)',
        value: typed,
        taken,
        check: (name) => this.checkName(repoPath, name),
      });
      if (answer === undefined) return;
      if (answer.keptBranch === undefined) {
        const baseRef = await this.pickBaseRef(repoPath);
        if (baseRef === undefined) return;
        const params: WorkspaceCreateParams = { repoPath };
        if (answer.name !== '') params.name = answer.name;
        params.baseRef = baseRef;
        await this.create(params);
        return;
      }
      const choice = await this.keptBranchChoice(repoPath, answer.keptBranch);
      if (choice === undefined) return;
      if (choice === 'continue') {
        // The base its changes are counted against: asked, else the sidecar would take whatever the main checkout has out.
        const baseRef = await this.pickBaseRef(repoPath, answer.keptBranch);
        if (baseRef === undefined) return;
        await this.create({ repoPath, name: answer.name, branch: answer.keptBranch, baseRef });
        return;
      }
      // Another name: back to the name step, with what was typed.
      typed = answer.typed;
    }
  }

  /** The sidecar's verdict on a name; undefined when it cannot tell (then create itself refuses what it must). */
  private async checkName(repoPath: string, name: string): Promise<NameAnswer | undefined> {
    try {
      return await this.sidecar.sendRequest(WorkspaceCheckNameRequest, { repoPath, name });
    } catch (error) {
      const failure = sidecarError(error);
      if (failure.code !== METHOD_NOT_FOUND) this.log(`checking the name ${name}: ${failure.message}`);
      return undefined;
    }
  }

  /** A name whose branch was kept (its workspace deleted): continue on that branch, or back to choose another name. */
  private async keptBranchChoice(repoPath: string, branch: string): Promise<'continue' | 'another' | undefined> {
    const labels = keptBranchChoices(branch);
    const picked = await vscode.window.showQuickPick(
      [
        { label: labels.continueLabel, detail: labels.detail, choice: 'continue' as const },
        { label: labels.anotherLabel, detail: 'Back to the name, to type another one.', choice: 'another' as const },
      ],
      { title: `New Grove Workspace in ${baseName(repoPath)}: ${branch} exists`, placeHolder: `The branch ${branch} exists already`, ignoreFocusOut: true },
    );
    return picked?.choice;
  }

  /** The repository to create in: the tree row's, else the only one, else a pick (the window's first). */
  private async pickRepository(arg: unknown): Promise<string | undefined> {
    if (isRecord(arg) && arg.kind === 'repo' && typeof arg.repoPath === 'string') return arg.repoPath;
    const repos = this.store.repositories();
    if (repos.length === 0) {
      const status = this.store.status;
      const message =
        status.kind === 'unavailable'
          ? `Grove cannot create a workspace now: ${status.message}`
          : status.kind === 'loading'
            ? 'Grove is still loading its workspaces; try again in a moment.'
            : 'Grove workspaces live in git repositories: open a folder that is inside one (with at least one commit), then try again.';
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
    if (repos.length === 1) return repos[0];
    const picked = await vscode.window.showQuickPick(
      repos.map((repoPath) => ({
        label: baseName(repoPath),
        description: repoPath,
        detail: this.store.folderRepos.includes(repoPath) ? 'open in this window' : 'has Grove workspaces',
        repoPath,
      })),
      { title: 'New Grove Workspace: which repository?', placeHolder: 'Pick the repository', ignoreFocusOut: true },
    );
    return picked?.repoPath;
  }

  /**
   * A local branch (the checked-out one first: the default), or any ref typed in. With `keptBranch`,
   * the base of a workspace continued on that branch (which is not offered as its own base).
   */
  private async pickBaseRef(repoPath: string, keptBranch?: string): Promise<string | undefined> {
    let branches: string[];
    let current: string | undefined;
    try {
      const info = await this.sidecar.sendRequest(RepoInfoRequest, { path: repoPath });
      branches = info.branches;
      current = info.branch ?? undefined;
    } catch (error) {
      void vscode.window.showErrorMessage(`Grove could not list the branches of ${repoPath}: ${sidecarError(error).message}`);
      return undefined;
    }
    const ordered = orderBranches(branches, current, keptBranch);
    const branchItems: vscode.QuickPickItem[] = ordered.map((b) => (b === current ? { label: b, description: 'current branch' } : { label: b }));
    if (current === undefined) branchItems.unshift({ label: 'HEAD', description: 'the commit checked out now (detached)' });

    const pick = vscode.window.createQuickPick();
    pick.title = `New Grove Workspace in ${baseName(repoPath)}: base branch${keptBranch === undefined ? '' : ` of ${keptBranch}`}`;
    pick.placeholder =
      keptBranch === undefined
        ? 'The branch (or any ref) the workspace starts from'
        : `The branch (or any ref) the changes of ${keptBranch} are counted against`;
    pick.ignoreFocusOut = true;
    pick.items = branchItems;
    pick.onDidChangeValue((value) => {
      const typed = value.trim();
      const known = typed === '' || branchItems.some((item) => item.label === typed);
      pick.items = known ? branchItems : [{ label: typed, description: 'use this ref' }, ...branchItems];
    });
    return new Promise<string | undefined>((resolve) => {
      let done = false;
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        done = true;
        resolve(chosen?.label);
        pick.hide();
      });
      pick.onDidHide(() => {
        if (!done) resolve(undefined);
        pick.dispose();
      });
      pick.show();
    });
  }

  private async create(params: WorkspaceCreateParams): Promise<void> {
    const label = params.name ?? params.branch ?? 'with a generated name';
    let ws: Workspace;
    try {
      ws = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Creating the workspace ${label}`, cancellable: false },
        async (progress) => {
          progress.report({ message: 'making the worktree…' });
          const pending = this.sync.setupOutput.expect(
            params.repoPath,
            params.name,
            this.store.workspaces().map((w) => w.id),
            (line) => {
              progress.report({ message: shorten(line.line) });
            },
          );
          try {
            const created = await this.sidecar.sendRequest(WorkspaceCreateRequest, params);
            pending.bind(created.id);
            return created;
          } finally {
            pending.dispose();
          }
        },
      );
    } catch (error) {
      const failure = sidecarError(error);
      if (failure.code === ErrorCodes.InvalidName) {
        const retry = 'Try Again';
        const choice = await vscode.window.showErrorMessage(failureMessage('Grove could not create the workspace', failure), retry);
        if (choice === retry) await this.newWorkspace({ kind: 'repo', repoPath: params.repoPath }, params.name ?? '');
      } else {
        this.showFailure('Grove could not create the workspace', failure);
      }
      return;
    }
    this.sync.workspaceChanged(ws, false);
    this.log(
      `created ${ws.name} (${params.branch === undefined ? `${ws.branch} from ${ws.baseRef}` : `on the kept branch ${ws.branch}, against ${ws.baseRef}`}) at ${ws.path}`,
    );
    if (ws.setup?.success === false) {
      const why = ws.setup.message ?? `exit status ${String(ws.setup.exitCode)}`;
      const choice = await vscode.window.showWarningMessage(
        `The workspace ${ws.name} was created, but its setup script failed: ${why}. The workspace is usable.`,
        SHOW_LOGS,
      );
      if (choice === SHOW_LOGS) this.output.show(true);
      return;
    }
    const openWindow = 'Open in New Window';
    const terminal = 'Open Terminal';
    const runAgent = 'Run Agent…';
    const actions = [openWindow, terminal];
    if (await commandExists(Commands.runAgent)) actions.unshift(runAgent);
    const ready =
      params.branch === undefined
        ? `The workspace ${ws.name} is ready on the branch ${ws.branch}.`
        : `The workspace ${ws.name} is ready on the kept branch ${ws.branch}, with its commits (changes against ${ws.baseRef}).`;
    const choice = await vscode.window.showInformationMessage(ready, ...actions);
    if (choice === openWindow) await this.openInNewWindow({ workspaceId: ws.id });
    if (choice === terminal) await this.openTerminal({ workspaceId: ws.id });
    if (choice === runAgent) await vscode.commands.executeCommand(Commands.runAgent, { workspaceId: ws.id });
  }

  // -------------------------------------------------------------------------------------------
  // Open

  async openInNewWindow(arg: unknown): Promise<void> {
    const ws = await this.workspace(arg, 'Open which workspace in a new window?', isActive);
    if (!ws) return;
    await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(ws.path), { forceNewWindow: true });
  }

  async openTerminal(arg: unknown): Promise<void> {
    const ws = await this.workspace(arg, 'Open a terminal in which workspace?', isActive);
    if (!ws) return;
    const terminal = vscode.window.createTerminal({
      name: ws.name,
      cwd: ws.path,
      env: {
        GROVE_WORKSPACE_NAME: ws.name,
        GROVE_WORKSPACE_PATH: ws.path,
        GROVE_ROOT_PATH: ws.repoPath,
        GROVE_PORT: String(ws.port),
      },
    });
    this.views.terminalOpened(terminal, ws.id);
    terminal.show();
  }

  // -------------------------------------------------------------------------------------------
  // Changes

  async showChanges(arg: unknown): Promise<void> {
    const ws = await this.workspace(arg, 'Show the changes of which workspace?', isActive, true);
    if (!ws) return;
    let files;
    try {
      ({ files } = await this.sidecar.sendRequest(WorkspaceChangesRequest, { id: ws.id }));
    } catch (error) {
      this.showFailure(`Grove could not list the changes of ${ws.name}`, sidecarError(error));
      return;
    }
    this.sync.refreshWorkspace(ws.id);
    if (files.length === 0) {
      void vscode.window.showInformationMessage(`${ws.name} has no changes against ${ws.baseRef}.`);
      return;
    }
    await openAllChanges(ws, files);
  }

  /** A changed file's row: `{workspaceId, path}`. */
  async openChange(arg: unknown): Promise<void> {
    if (!isRecord(arg) || typeof arg.workspaceId !== 'string' || typeof arg.path !== 'string') return;
    const ws = this.store.workspace(arg.workspaceId);
    if (!ws) return;
    const entry = this.store.changes(ws.id);
    const file = entry?.kind === 'known' ? entry.changes.files.find((f) => f.path === arg.path) : undefined;
    if (!file) {
      void vscode.window.showInformationMessage(`${arg.path} is no longer changed in ${ws.name}.`);
      return;
    }
    await openChange(ws, file);
  }

  // -------------------------------------------------------------------------------------------
  // Results

  /** The agent panel showed the finished run `runId` of `workspaceId`: its result is no longer new. */
  markResultSeen(workspaceId: unknown, runId: unknown): void {
    if (typeof workspaceId !== 'string' || typeof runId !== 'string') return;
    this.seen.markSeen(runId);
  }

  /** A result row: opens the workspace's agent panel, which shows the run; that counts as seen. */
  async openRunResult(workspaceId: unknown, runId: unknown): Promise<void> {
    if (typeof workspaceId !== 'string' || typeof runId !== 'string') return;
    this.seen.markSeen(runId);
    await vscode.commands.executeCommand(Commands.openAgentPanel, { workspaceId });
  }

  // -------------------------------------------------------------------------------------------
  // Archive, restore, delete

  async archive(arg: unknown): Promise<void> {
    const ws = await this.workspace(arg, 'Archive which workspace?', isActive);
    if (!ws) return;
    // Everything is asked before anything is closed or removed: unsaved editors, terminals, uncommitted work.
    if (!(await this.saveUnsaved(ws, 'archive'))) return;
    const terminals = await this.agreeToCloseTerminals(ws, 'archive');
    if (terminals === undefined) return;
    const uncommitted = await this.uncommittedFiles(ws.path);
    if (uncommitted.length > 0 && !(await this.agreeToSnapshot(ws, uncommitted))) return;
    let snapshot = uncommitted.length > 0;
    await this.views.closeTerminals(ws, terminals, 'archive');
    try {
      await this.archiveRequest(ws, snapshot);
    } catch (error) {
      const failure = sidecarError(error);
      if (failure.code !== ErrorCodes.WorkspaceDirty || snapshot) {
        await this.showFailureFor(ws, 'archive', failure);
        return;
      }
      // Work made since it was asked (or the sidecar could not tell before): asked now.
      if (!(await this.agreeToSnapshot(ws, dirtyFiles(failure.data)))) return;
      snapshot = true;
      try {
        await this.archiveRequest(ws, true);
      } catch (again) {
        await this.showFailureFor(ws, 'archive', sidecarError(again));
        return;
      }
    }
    if (snapshot) {
      void vscode.window.showInformationMessage(`${ws.name} is archived; its uncommitted work is saved in a snapshot and comes back when you restore it.`);
    }
  }

  /** Uncommitted work in the worktree of `ws`: saved as a snapshot when agreed. */
  private async agreeToSnapshot(ws: Workspace, files: readonly string[]): Promise<boolean> {
    const confirm = archiveDirtyConfirmation(ws, files);
    const save = 'Save Snapshot and Archive';
    return (await vscode.window.showWarningMessage(confirm.message, { modal: true, detail: confirm.detail }, save)) === save;
  }

  /**
   * Files of the worktree of `ws` with unsaved changes in the editor: saved when the user agrees
   * (false when not, or when a save failed: nothing more is done). The first button, the one Enter
   * picks, only shows them.
   */
  private async saveUnsaved(ws: Workspace, verb: WorktreeVerb): Promise<boolean> {
    const documents = vscode.workspace.textDocuments.filter((doc) => doc.isDirty && doc.uri.scheme === 'file');
    const paths = unsavedInWorktree(
      documents.map((doc) => doc.uri.fsPath),
      ws.path,
    );
    if (paths.length === 0) return true;
    const unsaved = documents.filter((doc) => paths.includes(doc.uri.fsPath));
    const question = unsavedQuestion(ws, paths, verb);
    const choice = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, question.show, question.agree);
    if (choice === question.show) {
      // The first file ends in front.
      for (const doc of [...unsaved].reverse()) await vscode.window.showTextDocument(doc, { preview: false });
      return false;
    }
    if (choice !== question.agree) return false;
    for (const doc of unsaved) {
      const file = relativeTo(doc.uri.fsPath, ws.path);
      let why = '';
      const saved = await doc.save().then(
        (ok) => ok,
        (error: unknown) => {
          why = `: ${error instanceof Error ? error.message : String(error)}`;
          return false;
        },
      );
      if (!saved) {
        void vscode.window.showErrorMessage(`Grove did not ${verb} ${ws.name}: ${file} could not be saved${why}.`);
        return false;
      }
    }
    this.log(`saved ${unsaved.length} file(s) in ${ws.name} before ${verb === 'archive' ? 'archiving' : 'deleting'} it`);
    return true;
  }

  /**
   * The terminals open in the worktree of `ws`, once the user agreed to close them (none open: none
   * asked); undefined when not. The first button, the one Enter picks, only shows them.
   */
  private async agreeToCloseTerminals(ws: Workspace, verb: WorktreeVerb): Promise<vscode.Terminal[] | undefined> {
    const terminals = this.views.terminalsIn(ws);
    if (terminals.length === 0) return terminals;
    const question = terminalsQuestion(
      ws,
      terminals.map((t) => t.name),
      verb,
    );
    const choice = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, question.show, question.agree);
    if (choice === question.show) terminals[0]?.show();
    return choice === question.agree ? terminals : undefined;
  }

  private async archiveRequest(ws: Workspace, force: boolean): Promise<void> {
    const archived = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Archiving ${ws.name}…` }, () =>
      this.sidecar.sendRequest(WorkspaceArchiveRequest, force ? { id: ws.id, force } : { id: ws.id }),
    );
    this.sync.workspaceChanged(archived, false);
  }

  async restore(arg: unknown): Promise<void> {
    const ws = await this.workspace(arg, 'Restore which workspace?', (w) => w.state === 'archived');
    if (!ws) return;
    let restored: Workspace;
    try {
      restored = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Restoring ${ws.name}…` }, () =>
        this.sidecar.sendRequest(WorkspaceRestoreRequest, { id: ws.id }),
      );
    } catch (error) {
      await this.showFailureFor(ws, 'restore', sidecarError(error));
      return;
    }
    // The tree, its files and the tabs of the worktree follow (worktreeViews); its files came back after the tree last looked.
    this.sync.workspaceChanged(restored, false);
    this.sync.refreshWorkspace(restored.id);
    const closed = this.views.takeClosedTerminals(restored.id);
    const openWindow = 'Open in New Window';
    const actions = closed > 0 ? [OPEN_TERMINAL_HERE, openWindow] : [openWindow];
    const choice = await vscode.window.showInformationMessage(restoredMessage(restored, closed), ...actions);
    if (choice === openWindow) await this.openInNewWindow({ workspaceId: restored.id });
    if (choice === OPEN_TERMINAL_HERE) await this.openTerminal({ workspaceId: restored.id });
  }

  async delete(arg: unknown): Promise<void> {
    const ws = await this.workspace(arg, 'Delete which workspace?', () => true);
    if (!ws) return;
    const confirm = deleteConfirmation(ws);
    const keepBranch = 'Delete Workspace';
    const withBranch = 'Delete Workspace and Branch';
    // The first button is the default (Enter): never a destructive one.
    const instead = ws.state === 'active' ? 'Archive Instead' : 'Restore Instead';
    const choice = await vscode.window.showWarningMessage(confirm.message, { modal: true, detail: confirm.detail }, instead, keepBranch, withBranch);
    if (choice === instead) {
      await (ws.state === 'active' ? this.archive({ workspaceId: ws.id }) : this.restore({ workspaceId: ws.id }));
      return;
    }
    if (choice === undefined) return;
    const deleteBranch = choice === withBranch;
    if (ws.state === 'active') {
      // Before the worktree goes: its unsaved editors saved (so the sidecar sees what would be lost) and its terminals closed.
      if (!(await this.saveUnsaved(ws, 'delete'))) return;
      const terminals = await this.agreeToCloseTerminals(ws, 'delete');
      if (terminals === undefined) return;
      await this.views.closeTerminals(ws, terminals, 'delete');
    }
    try {
      await this.deleteRequest(ws, deleteBranch, false);
      return;
    } catch (error) {
      const failure = sidecarError(error);
      if (failure.code !== ErrorCodes.WorkspaceDirty && failure.code !== ErrorCodes.UnmergedBranch) {
        await this.showFailureFor(ws, 'delete', failure);
        return;
      }
      // "Delete Anyway" forces everything: name what the worktree would lose too, not only what the sidecar refused first.
      const uncommitted = failure.code === ErrorCodes.UnmergedBranch && ws.state === 'active' ? await this.uncommittedFiles(ws.path) : [];
      const again = deleteForceConfirmation(ws, failure, uncommitted);
      const anyway = 'Delete Anyway';
      const second = await vscode.window.showWarningMessage(again.message, { modal: true, detail: again.detail }, instead, anyway);
      if (second === instead) {
        await (ws.state === 'active' ? this.archive({ workspaceId: ws.id }) : this.restore({ workspaceId: ws.id }));
        return;
      }
      if (second !== anyway) return;
    }
    try {
      await this.deleteRequest(ws, deleteBranch, true);
    } catch (error) {
      await this.showFailureFor(ws, 'delete', sidecarError(error));
    }
  }

  private async deleteRequest(ws: Workspace, deleteBranch: boolean, force: boolean): Promise<void> {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting ${ws.name}…` }, () =>
      this.sidecar.sendRequest(WorkspaceDeleteRequest, { id: ws.id, deleteBranch, force }),
    );
    this.sync.workspaceChanged(ws, true);
    void vscode.window.showInformationMessage(
      deleteBranch ? `Deleted the workspace ${ws.name} and its branch ${ws.branch}.` : `Deleted the workspace ${ws.name}; its branch ${ws.branch} is kept.`,
    );
  }

  /** The uncommitted and untracked files of a worktree, as the sidecar counts them; none when it cannot tell. */
  private async uncommittedFiles(worktree: string): Promise<string[]> {
    try {
      return (await this.sidecar.sendRequest(RepoInfoRequest, { path: worktree })).dirtyFiles;
    } catch {
      return [];
    }
  }

  async refresh(): Promise<void> {
    await this.sync.reload();
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  /**
   * The workspace a command is about: from its argument (a tree row, `{workspaceId}` or a Workspace),
   * else picked (with `onlyOne`, the only one that fits is taken without asking: a harmless command).
   */
  private async workspace(arg: unknown, title: string, fits: (ws: Workspace) => boolean, onlyOne = false): Promise<Workspace | undefined> {
    const id = workspaceArgument(arg);
    if (id !== undefined) {
      const ws = this.store.workspace(id);
      if (!ws) void vscode.window.showErrorMessage(`Grove knows no workspace ${id} (any more).`);
      return ws;
    }
    const candidates = this.store
      .repositories()
      .flatMap((repo) => this.store.workspacesOf(repo))
      .filter(fits);
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('There is no Grove workspace for this. Create one with “Grove: New Workspace”.');
      return undefined;
    }
    if (onlyOne && candidates.length === 1) return candidates[0];
    const picked = await vscode.window.showQuickPick(
      candidates.map((ws) => ({ label: ws.name, description: `${ws.branch} · ${ws.state}`, detail: ws.repoPath, ws })),
      { title, placeHolder: 'Pick a workspace', matchOnDescription: true },
    );
    return picked?.ws;
  }

  /** An error of archive/restore/delete: busy gets the agent panel as its one (harmless) action. */
  private async showFailureFor(ws: Workspace, verb: string, failure: SidecarError): Promise<void> {
    const action = `Grove could not ${verb} ${ws.name}`;
    if (failure.code !== ErrorCodes.WorkspaceBusy) {
      this.showFailure(action, failure);
      return;
    }
    const openPanel = 'Open Agent Panel';
    const actions = this.store.latestRun(ws.id) && (await commandExists(Commands.openAgentPanel)) ? [openPanel] : [];
    const choice = await vscode.window.showWarningMessage(failureMessage(action, failure), ...actions);
    if (choice === openPanel) await vscode.commands.executeCommand(Commands.openAgentPanel, { workspaceId: ws.id });
  }

  /** Any other error: its message, with the logs (git's words) or a restart (no sidecar) as the action. */
  private showFailure(action: string, failure: SidecarError): void {
    this.log(failureMessage(action, failure));
    const restart = 'Restart Sidecar';
    const actions = failure.code === undefined ? [restart, SHOW_LOGS] : failure.code === ErrorCodes.GitFailed ? [SHOW_LOGS] : [];
    void vscode.window.showErrorMessage(failureMessage(action, failure), ...actions).then((choice) => {
      if (choice === SHOW_LOGS) this.output.show(true);
      if (choice === restart) void vscode.commands.executeCommand(Commands.restartSidecar);
    });
  }

  private log(line: string): void {
    this.output.appendLine(`[grove ${new Date().toLocaleTimeString()}] workspaces: ${line}`);
  }
}

function isActive(ws: Workspace): boolean {
  return ws.state === 'active';
}

function shorten(line: string): string {
  return line.length > PROGRESS_LINE_MAX ? `${line.slice(0, PROGRESS_LINE_MAX - 1)}…` : line;
}

async function commandExists(id: string): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(id);
}
