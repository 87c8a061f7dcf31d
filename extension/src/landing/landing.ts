// Landing a workspace's work, wired: each workspace's GitStatus kept in the workspace store (asked at start and on window focus, then followed by notification), the palette's context keys, and the commands Commit, Sync, Continue, Abort, Resolve with Agent, Merge, Apply, Push, Create / Open Pull Request with their inputs, confirmations, progress and notifications.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { openMachineSetting } from '../account/account';
import { DEFAULT_PERMISSION_MODE } from '../agents/agentView';
import { Commands, Settings, settingKey } from '../common/commands';
import { sidecarError, type SidecarError } from '../common/errors';
import {
  AgentStartRequest,
  ErrorCodes,
  WorkspaceApplyRequest,
  WorkspaceCommitMessageRequest,
  WorkspaceCommitRequest,
  WorkspaceCreatePullRequestRequest,
  WorkspaceGitStatusChanged,
  WorkspaceGitStatusRequest,
  WorkspaceMergeRequest,
  WorkspacePushRequest,
  WorkspaceResolvePromptRequest,
  WorkspaceSyncAbortRequest,
  WorkspaceSyncContinueRequest,
  WorkspaceSyncRequest,
  type GitStatus,
  type Workspace,
  type WorkspaceCreatePullRequestParams,
  type WorkspaceSyncResult,
} from '../common/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import { workspaceArgument } from '../workspaces/workspaceModel';
import type { WorkspaceStore } from '../workspaces/workspaceStore';
import type { WorkspaceSync } from '../workspaces/workspaceSync';
import {
  abortConfirmation,
  appliedNotice,
  baseLabel,
  choiceLabel,
  committedNotice,
  errorText,
  failureNotice,
  flattenBody,
  forcePushConfirmation,
  joinMessage,
  landingActions,
  landingContext,
  LINE_BREAK,
  mergeConfirmation,
  mergedNotice,
  mergeMethod,
  pullRequestNotice,
  pushedNotice,
  pushFirstConfirmation,
  runIsBusy,
  splitMessage,
  subjectProblem,
  syncNotice,
  unflattenBody,
  type Choice,
  type Confirmation,
  type LandingAction,
  type LandingStep,
  type Notice,
  type NoticeTarget,
} from './landingModel';

const INSTALL_GH_URL = 'https://cli.github.com';

/** What a notification's choices may need besides the workspace. */
interface ChoiceContext {
  /** The request again, as it was (Try Again). */
  retry?: () => Promise<void>;
  compareUrl?: string;
  url?: string;
  files?: readonly string[];
}

/** What the agent panel needs of landing: each workspace's status, told when any changes, and its actions run. */
export interface PanelLanding {
  status(workspaceId: string): GitStatus | undefined;
  onDidChange(listener: () => void): { dispose(): void };
  run(action: LandingAction, workspaceId: string): Promise<void>;
  /** The remote push and pull requests use (grove.remote). */
  remote(): string;
}

export class Landing implements vscode.Disposable, PanelLanding {
  /** Workspaces whose status was asked for since the sidecar last started. */
  private readonly asked = new Set<string>();
  private readonly subscriptions: { dispose(): unknown }[] = [];
  private readonly shownContext = new Map<string, boolean>();

  constructor(
    private readonly sidecar: Sidecar,
    private readonly store: WorkspaceStore,
    private readonly sync: WorkspaceSync,
    private readonly output: vscode.OutputChannel,
  ) {
    sidecar.onNotification(WorkspaceGitStatusChanged, ({ id, status }) => {
      this.store.setGitStatus(id, status);
    });
    const register = (id: string, run: (ws: Workspace) => Promise<unknown>, action: LandingAction, title: string) =>
      vscode.commands.registerCommand(id, async (arg: unknown) => {
        const ws = await this.workspaceFor(arg, action, title);
        if (ws) await run(ws);
      });
    this.subscriptions.push(
      sidecar.onDidStart(() => {
        this.asked.clear();
        this.askMissing();
      }),
      store.onDidChange(() => {
        this.askMissing();
        this.updateContext();
      }),
      // Files and refs may have changed while the window was in the background.
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused) for (const ws of this.active()) void this.refresh(ws.id);
      }),
      register(Commands.commitWorkspace, (ws) => this.commit(ws), 'commit', 'Commit which workspace?'),
      register(Commands.syncWorkspace, (ws) => this.syncWithBase(ws), 'sync', 'Sync which workspace with its base?'),
      register(Commands.mergeWorkspace, (ws) => this.merge(ws), 'merge', 'Merge which workspace into its base?'),
      register(Commands.applyWorkspace, (ws) => this.apply(ws), 'apply', 'Apply which workspace to the main checkout?'),
      register(Commands.pushWorkspace, (ws) => this.push(ws, false), 'push', 'Push the branch of which workspace?'),
      register(Commands.createPullRequest, (ws) => this.createPullRequest(ws), 'createPullRequest', 'Create a pull request of which workspace?'),
      register(Commands.openPullRequest, (ws) => this.openPullRequest(ws), 'openPullRequest', 'Open the pull request of which workspace?'),
      register(Commands.resolveConflicts, (ws) => this.resolveWithAgent(ws), 'resolveConflicts', 'Resolve the conflicts of which workspace?'),
      register(Commands.continueSync, (ws) => this.continueSync(ws), 'syncContinue', 'Continue the sync of which workspace?'),
      register(Commands.abortSync, (ws) => this.abortSync(ws), 'syncAbort', 'Abort the sync of which workspace?'),
    );
    this.updateContext();
  }

  // -------------------------------------------------------------------------------------------
  // For the agent panel

  status(workspaceId: string): GitStatus | undefined {
    return this.store.gitStatus(workspaceId);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    return this.store.onDidChange(listener);
  }

  async run(action: LandingAction, workspaceId: string): Promise<void> {
    await vscode.commands.executeCommand(ACTION_COMMANDS[action], { workspaceId });
  }

  remote(): string {
    return configString(Settings.remote) || 'origin';
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  // -------------------------------------------------------------------------------------------
  // Status

  private active(): Workspace[] {
    return this.store.workspaces().filter((ws) => ws.state === 'active');
  }

  /** Asks for the status of every active workspace not asked for since the sidecar started. */
  private askMissing(): void {
    for (const ws of this.active()) {
      if (this.asked.has(ws.id)) continue;
      this.asked.add(ws.id);
      void this.refresh(ws.id);
    }
  }

  /** Asks the sidecar where a workspace stands now; the answer goes to the store. */
  private async refresh(id: string): Promise<GitStatus | undefined> {
    try {
      const status = await this.sidecar.sendRequest(WorkspaceGitStatusRequest, { id });
      this.store.setGitStatus(id, status);
      return status;
    } catch (error) {
      const failure = sidecarError(error);
      if (failure.code !== ErrorCodes.NotFound) this.log(`git status of ${this.store.workspace(id)?.name ?? id}: ${failure.message}`);
      return undefined;
    }
  }

  /** The actions a workspace offers now (its latest run decides whether git steps wait). */
  private actionsOf(ws: Workspace): LandingAction[] {
    if (ws.state !== 'active') return [];
    return landingActions(this.store.gitStatus(ws.id), runIsBusy(this.store.latestRun(ws.id)?.state));
  }

  private updateContext(): void {
    const context = landingContext(this.active().map((ws) => this.actionsOf(ws)));
    for (const [key, value] of Object.entries(context) as [string, boolean][]) {
      if (this.shownContext.get(key) === value) continue;
      this.shownContext.set(key, value);
      void vscode.commands.executeCommand('setContext', key, value);
    }
  }

  /** After a step: the status and the changed files again (the sidecar notifies too; this is sooner). */
  private async after(ws: Workspace): Promise<GitStatus | undefined> {
    this.sync.refreshWorkspace(ws.id);
    return this.refresh(ws.id);
  }

  // -------------------------------------------------------------------------------------------
  // Commit

  /** Commit…: the message prefilled from the workspace's prompts (first line edited, body kept). True when it committed. */
  private async commit(ws: Workspace): Promise<boolean> {
    let suggested = '';
    try {
      suggested = (await this.sidecar.sendRequest(WorkspaceCommitMessageRequest, { id: ws.id })).message;
    } catch (error) {
      this.log(`commit message of ${ws.name}: ${sidecarError(error).message}`);
    }
    const { subject, body } = splitMessage(suggested);
    const files = this.store.gitStatus(ws.id)?.uncommitted;
    const typed = await vscode.window.showInputBox({
      title: `Commit “${ws.name}” on ${ws.branch}${files === undefined ? '' : ` (${files} ${files === 1 ? 'file' : 'files'})`}`,
      prompt: body === '' ? 'The commit message (one line).' : "The commit message's first line; the body listing the workspace's prompts is kept.",
      value: subject,
      ignoreFocusOut: true,
      validateInput: (value) => subjectProblem(value) ?? null,
    });
    if (typed === undefined) return false;
    const message = joinMessage(typed, body);
    try {
      const result = await this.progress(`Committing “${ws.name}”…`, () => this.sidecar.sendRequest(WorkspaceCommitRequest, { id: ws.id, message }));
      this.log(`committed ${result.commit.slice(0, 8)} on ${ws.branch}: ${result.files.length} file(s)`);
      const status = await this.after(ws);
      const next = (status ? landingActions(status, false) : []).flatMap((a): Choice[] =>
        a === 'merge' ? ['merge'] : a === 'createPullRequest' ? ['createPullRequest'] : [],
      );
      this.tell(committedNotice(this.target(ws), result.commit, result.files, next), ws, {});
      return true;
    } catch (error) {
      await this.fail('commit', ws, error, {
        retry: async () => {
          await this.commit(ws);
        },
      });
      return false;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Sync, Continue, Abort, Resolve with Agent

  private async syncWithBase(ws: Workspace): Promise<void> {
    const base = this.baseOf(ws);
    let result: WorkspaceSyncResult;
    try {
      result = await this.progress(`Syncing “${ws.name}” with ${base}…`, () => this.sidecar.sendRequest(WorkspaceSyncRequest, { id: ws.id }));
    } catch (error) {
      await this.fail('sync', ws, error, { retry: () => this.syncWithBase(ws) });
      return;
    }
    await this.after(ws);
    this.tell(syncNotice(this.target(ws), result), ws, { files: result.conflicted });
  }

  private async continueSync(ws: Workspace): Promise<void> {
    let result: WorkspaceSyncResult;
    try {
      result = await this.progress(`Continuing the sync of “${ws.name}”…`, () => this.sidecar.sendRequest(WorkspaceSyncContinueRequest, { id: ws.id }));
    } catch (error) {
      await this.fail('syncContinue', ws, error, { retry: () => this.continueSync(ws) });
      return;
    }
    await this.after(ws);
    this.tell(syncNotice(this.target(ws), result), ws, { files: result.conflicted });
  }

  private async abortSync(ws: Workspace): Promise<void> {
    const status = this.store.gitStatus(ws.id) ?? (await this.refresh(ws.id));
    if (status && !(await this.confirm(abortConfirmation(ws.name, status)))) return;
    try {
      await this.progress(`Aborting the sync of “${ws.name}”…`, () => this.sidecar.sendRequest(WorkspaceSyncAbortRequest, { id: ws.id }));
    } catch (error) {
      await this.fail('syncAbort', ws, error, {});
      return;
    }
    await this.after(ws);
    void vscode.window.showInformationMessage(`The sync of “${ws.name}” is undone: ${ws.branch} is as it was before.`);
  }

  /** Starts an agent run with the sidecar's prompt for the conflicts, and shows it in the agent panel. */
  private async resolveWithAgent(ws: Workspace): Promise<void> {
    try {
      const { prompt } = await this.sidecar.sendRequest(WorkspaceResolvePromptRequest, { id: ws.id });
      const run = await this.sidecar.sendRequest(AgentStartRequest, { workspaceId: ws.id, prompt, permissionMode: DEFAULT_PERMISSION_MODE });
      this.log(`resolving the conflicts of ${ws.name} with agent run ${run.runId}`);
    } catch (error) {
      await this.fail('resolve', ws, error, {});
      return;
    }
    await vscode.commands.executeCommand(Commands.openAgentPanel, { workspaceId: ws.id });
  }

  /** Opens each conflicted file: the editor shows its conflict markers with Accept Current / Incoming. */
  private async openConflicts(ws: Workspace, files: readonly string[] | undefined): Promise<void> {
    const paths = files && files.length > 0 ? files : ((await this.refresh(ws.id))?.conflicted ?? []);
    for (const path of paths) {
      await vscode.window.showTextDocument(vscode.Uri.file(join(ws.path, path)), { preview: false, preserveFocus: path !== paths[0] });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Merge, Apply

  private async merge(ws: Workspace): Promise<void> {
    const status = await this.refresh(ws.id);
    if (!status) {
      void vscode.window.showErrorMessage(`Grove could not read where “${ws.name}” stands against its base; see Grove: Show Logs.`);
      return;
    }
    const method = mergeMethod(vscode.workspace.getConfiguration(Settings.section).get(settingKey(Settings.mergeMethod)));
    const confirm = mergeConfirmation(ws.name, status, method);
    const commitFirst = choiceLabel('commitFirst');
    const buttons = status.uncommitted > 0 ? [confirm.confirm, commitFirst] : [confirm.confirm];
    const choice = await vscode.window.showWarningMessage(confirm.message, { modal: true, detail: confirm.detail }, ...buttons);
    if (choice === commitFirst) {
      if (await this.commit(ws)) await this.merge(ws);
      return;
    }
    if (choice !== confirm.confirm) return;
    const base = baseLabel(status);
    try {
      const result = await this.progress(`Merging “${ws.name}” into ${base}…`, () => this.sidecar.sendRequest(WorkspaceMergeRequest, { id: ws.id, method }));
      this.log(`merged ${ws.branch} into ${result.base} (${method}): ${result.commit}`);
      await this.after(ws);
      this.tell(mergedNotice(this.target(ws), result.commit), ws, {});
    } catch (error) {
      await this.fail('merge', ws, error, { retry: () => this.merge(ws) });
    }
  }

  private async apply(ws: Workspace): Promise<void> {
    try {
      const { files } = await this.progress(`Applying “${ws.name}” to the main checkout…`, () =>
        this.sidecar.sendRequest(WorkspaceApplyRequest, { id: ws.id }),
      );
      this.log(`applied ${ws.name} to ${ws.repoPath}: ${files.join(', ')}`);
      this.tell(appliedNotice(this.target(ws), files), ws, {});
    } catch (error) {
      await this.fail('apply', ws, error, { retry: () => this.apply(ws) });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Push, pull requests

  /** Push (with `forceWithLease` after its modal). True when pushed. */
  private async push(ws: Workspace, forceWithLease: boolean, quiet = false): Promise<boolean> {
    const remote = this.remote();
    try {
      const params = forceWithLease ? { id: ws.id, forceWithLease } : { id: ws.id };
      const result = await this.progress(`Pushing ${ws.branch} to ${remote}…`, () => this.sidecar.sendRequest(WorkspacePushRequest, params));
      this.log(`pushed ${ws.branch} to ${result.remote}/${result.branch}${forceWithLease ? ' (force with lease)' : ''}`);
      const status = await this.after(ws);
      if (!quiet) {
        const next: Choice[] = status && landingActions(status, false).includes('createPullRequest') ? ['createPullRequest'] : [];
        this.tell(pushedNotice(result.remote, result.branch, next), ws, {});
      }
      return true;
    } catch (error) {
      await this.fail('push', ws, error, {
        retry: async () => {
          await this.push(ws, forceWithLease, quiet);
        },
      });
      return false;
    }
  }

  private async forcePush(ws: Workspace): Promise<void> {
    if (await this.confirm(forcePushConfirmation(ws.branch, this.remote()))) await this.push(ws, true);
  }

  /** Create Pull Request…: pushes first when the branch is not on the remote (asked), then title, body and draft. */
  private async createPullRequest(ws: Workspace): Promise<void> {
    const status = await this.refresh(ws.id);
    if (status?.upstream === null) {
      if (!(await this.confirm(pushFirstConfirmation(ws.branch, this.remote())))) return;
      if (!(await this.push(ws, false, true))) return;
    }
    const params = await this.askPullRequest(ws);
    if (params) await this.sendPullRequest(ws, params);
  }

  /** The title (prefilled like a commit message), the body (its lines joined with ↵) and draft or not. */
  private async askPullRequest(ws: Workspace): Promise<WorkspaceCreatePullRequestParams | undefined> {
    let suggested = '';
    try {
      suggested = (await this.sidecar.sendRequest(WorkspaceCommitMessageRequest, { id: ws.id })).message;
    } catch (error) {
      this.log(`pull request title of ${ws.name}: ${sidecarError(error).message}`);
    }
    const { subject, body } = splitMessage(suggested);
    const base = this.baseOf(ws);
    const title = await vscode.window.showInputBox({
      title: `Pull request of ${ws.branch} into ${base} (1/3): title`,
      value: subject,
      ignoreFocusOut: true,
      validateInput: (value) => subjectProblem(value) ?? null,
    });
    if (title === undefined) return undefined;
    const flatBody = await vscode.window.showInputBox({
      title: `Pull request of ${ws.branch} into ${base} (2/3): description`,
      prompt: `The description (may be empty);${LINE_BREAK}starts a new line.`,
      value: flattenBody(body),
      ignoreFocusOut: true,
    });
    if (flatBody === undefined) return undefined;
    const ready = { label: 'Ready for review', draft: false };
    const draft = { label: 'Draft', description: 'not ready for review yet', draft: true };
    const picked = await vscode.window.showQuickPick([ready, draft], {
      title: `Pull request of ${ws.branch} into ${base} (3/3)`,
      placeHolder: 'Ready for review, or a draft?',
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    return { id: ws.id, title: title.trim(), body: unflattenBody(flatBody), draft: picked.draft };
  }

  private async sendPullRequest(ws: Workspace, params: WorkspaceCreatePullRequestParams): Promise<void> {
    try {
      const result = await this.progress(`Creating the pull request of “${ws.name}”…`, () =>
        this.sidecar.sendRequest(WorkspaceCreatePullRequestRequest, params),
      );
      this.log(`pull request #${result.number} of ${ws.branch}: ${result.url}`);
      await this.after(ws);
      this.tell(pullRequestNotice(result.number, result.url), ws, { url: result.url });
    } catch (error) {
      await this.fail('createPullRequest', ws, error, { retry: () => this.sendPullRequest(ws, params) });
    }
  }

  private async openPullRequest(ws: Workspace): Promise<void> {
    const pr = (this.store.gitStatus(ws.id) ?? (await this.refresh(ws.id)))?.pullRequest;
    if (!pr) {
      void vscode.window.showInformationMessage(`“${ws.name}” has no pull request yet: create one with Grove: Create Pull Request….`);
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(pr.url));
  }

  // -------------------------------------------------------------------------------------------
  // Notifications and their choices

  private async fail(step: LandingStep, ws: Workspace, error: unknown, context: ChoiceContext): Promise<void> {
    const failure: SidecarError = sidecarError(error);
    this.log(`${step} of ${ws.name} failed: ${failure.message}`);
    const notice = failureNotice(step, this.target(ws), failure);
    const compareUrl = errorText(failure.data, 'compareUrl');
    await this.after(ws);
    this.tell(notice, ws, compareUrl === '' ? context : { ...context, compareUrl });
  }

  /**
   * Shows a notice and, later, runs the choice taken; never waits for it, so that a step chained after
   * this one (Commit First, then Sync) goes on at once.
   */
  private tell(notice: Notice, ws: Workspace, context: ChoiceContext): void {
    this.show(notice, ws, context).catch((error: unknown) => {
      this.log(`after “${notice.message}”: ${sidecarError(error).message}`);
    });
  }

  /** Shows a notice (its output first in the output channel) and runs the choice taken. */
  private async show(notice: Notice, ws: Workspace, context: ChoiceContext): Promise<void> {
    if (notice.output !== undefined && notice.output !== '') {
      this.output.appendLine(`[grove ${new Date().toLocaleTimeString()}] ${ws.name}:`);
      this.output.appendLine(notice.output.trimEnd());
    }
    const show =
      notice.severity === 'error'
        ? vscode.window.showErrorMessage
        : notice.severity === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    const labels = notice.choices.map(choiceLabel);
    const picked = await show(notice.message, ...labels);
    const choice = notice.choices[labels.indexOf(picked ?? '')];
    if (choice !== undefined) await this.take(choice, ws, context);
  }

  private async take(choice: Choice, ws: Workspace, context: ChoiceContext): Promise<void> {
    switch (choice) {
      case 'commitFirst':
        if ((await this.commit(ws)) && context.retry) await context.retry();
        return;
      case 'commitAgain':
        await this.commit(ws);
        return;
      case 'syncFirst':
        await this.syncWithBase(ws);
        return;
      case 'resolveWithAgent':
        await this.resolveWithAgent(ws);
        return;
      case 'openMergeEditor':
        await this.openConflicts(ws, context.files);
        return;
      case 'continue':
        await this.continueSync(ws);
        return;
      case 'abort':
        await this.abortSync(ws);
        return;
      case 'forceWithLease':
        await this.forcePush(ws);
        return;
      case 'showOutput':
        this.output.show(true);
        return;
      case 'openTerminal':
        this.ghAuthLogin();
        return;
      case 'openCompare':
        if (context.compareUrl) await vscode.env.openExternal(vscode.Uri.parse(context.compareUrl));
        return;
      case 'installGh':
        await vscode.env.openExternal(vscode.Uri.parse(INSTALL_GH_URL));
        return;
      case 'setGhPath':
        await openMachineSetting(Settings.ghPath);
        return;
      case 'openAgentPanel':
        await vscode.commands.executeCommand(Commands.openAgentPanel, { workspaceId: ws.id });
        return;
      case 'tryAgain':
        await context.retry?.();
        return;
      case 'showLogs':
        this.output.show(true);
        return;
      case 'restartSidecar':
        await vscode.commands.executeCommand(Commands.restartSidecar);
        return;
      case 'merge':
        await this.merge(ws);
        return;
      case 'push':
        await this.push(ws, false);
        return;
      case 'createPullRequest':
        await this.createPullRequest(ws);
        return;
      case 'openUrl':
        if (context.url) await vscode.env.openExternal(vscode.Uri.parse(context.url));
        return;
      case 'archive':
        await vscode.commands.executeCommand(Commands.archiveWorkspace, { workspaceId: ws.id });
        return;
      case 'delete':
        await vscode.commands.executeCommand(Commands.deleteWorkspace, { workspaceId: ws.id });
        return;
    }
  }

  /** A terminal that runs `gh auth login` (with grove.ghPath when set). */
  private ghAuthLogin(): void {
    const gh = configString(Settings.ghPath) || 'gh';
    const terminal = vscode.window.createTerminal({ name: 'gh auth login' });
    terminal.show();
    terminal.sendText(`${/[\s'"$`\\]/.test(gh) ? `'${gh.replace(/'/g, `'\\''`)}'` : gh} auth login`);
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  /**
   * The workspace a command is about: its argument (a tree row, `{workspaceId}` or a Workspace), else the only
   * active workspace that offers the action, else a pick among those.
   */
  private async workspaceFor(arg: unknown, action: LandingAction, title: string): Promise<Workspace | undefined> {
    const id = workspaceArgument(arg);
    if (id !== undefined) {
      const ws = this.store.workspace(id);
      if (!ws) void vscode.window.showErrorMessage(`Grove knows no workspace ${id} (any more).`);
      else if (ws.state !== 'active') void vscode.window.showInformationMessage(`“${ws.name}” is archived: restore it first.`);
      return ws?.state === 'active' ? ws : undefined;
    }
    const candidates = this.active().filter((ws) => this.actionsOf(ws).includes(action));
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('No Grove workspace offers this now.');
      return undefined;
    }
    if (candidates.length === 1) return candidates[0];
    const picked = await vscode.window.showQuickPick(
      candidates.map((ws) => ({ label: ws.name, description: ws.branch, detail: ws.repoPath, ws })),
      // Run from the palette over an agent panel, the editor may hand focus back to the webview as this opens.
      { title, placeHolder: 'Pick a workspace', matchOnDescription: true, ignoreFocusOut: true },
    );
    return picked?.ws;
  }

  private baseOf(ws: Workspace): string {
    const status = this.store.gitStatus(ws.id);
    return status ? baseLabel(status) : ws.baseRef;
  }

  private target(ws: Workspace): NoticeTarget {
    return { name: ws.name, branch: ws.branch, base: this.baseOf(ws), remote: this.remote(), ghPath: configString(Settings.ghPath) };
  }

  private async confirm(confirmation: Confirmation): Promise<boolean> {
    const choice = await vscode.window.showWarningMessage(confirmation.message, { modal: true, detail: confirmation.detail }, confirmation.confirm);
    return choice === confirmation.confirm;
  }

  private progress<T>(title: string, work: () => Promise<T>): Promise<T> {
    return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, work));
  }

  private log(line: string): void {
    this.output.appendLine(`[grove ${new Date().toLocaleTimeString()}] landing: ${line}`);
  }
}

/** The command of each action (the panel's buttons run them like the tree does). */
const ACTION_COMMANDS: Record<LandingAction, string> = {
  commit: Commands.commitWorkspace,
  sync: Commands.syncWorkspace,
  merge: Commands.mergeWorkspace,
  apply: Commands.applyWorkspace,
  push: Commands.pushWorkspace,
  createPullRequest: Commands.createPullRequest,
  openPullRequest: Commands.openPullRequest,
  resolveConflicts: Commands.resolveConflicts,
  syncContinue: Commands.continueSync,
  syncAbort: Commands.abortSync,
  archive: Commands.archiveWorkspace,
  delete: Commands.deleteWorkspace,
};

/** A string setting of the `grove` section, trimmed ('' when unset). */
function configString(setting: typeof Settings.remote | typeof Settings.ghPath): string {
  const value = vscode.workspace.getConfiguration(Settings.section).get<unknown>(settingKey(setting));
  return typeof value === 'string' ? value.trim() : '';
}
