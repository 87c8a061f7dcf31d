// Agent runs in the editor: one agent panel per workspace, the sidecar's agent notifications routed to them, notifications when a run ends out of sight, the agent commands and the parallel-agents notice.
import * as vscode from 'vscode';
import type { AuthStore } from '../account/accountState';
import { isActive } from './agentModel';
import { AgentPanel } from './agentPanel';
import { parallelNotice, runNotification, runRow, workspaceIdFromArg, workspaceRow } from './agentNotices';
import { PendingRequests, requestNotification, ruleLabel } from './requests';
import { WaitingStatusBar } from './waitingStatusBar';
import { signInArgument } from './agentView';
import {
  AgentCancelRequest,
  AgentEventNotification,
  AgentListRequest,
  AgentPendingRequest,
  AgentRequestDoneNotification,
  AgentRequestNotification,
  AgentStateChanged,
  AuthLoginComplete,
  WorkspaceChanged,
  WorkspaceListRequest,
  WorkspaceRemoveRuleRequest,
  WorkspaceRulesRequest,
  type AgentRequest,
  type Run,
  type Workspace,
} from '../common/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import type { ProfileStore } from '../profiles/profileStore';
import type { PanelLanding } from '../landing/landing';
import { isSubscription } from '../account/accountModel';
import { AgentCliStore } from '../agentClis/agentCliStore';
import { Commands, ContextKeys, focusViewCommand, Ids, Settings, settingKey, Views } from '../common/commands';
import { errorMessage } from '../common/errors';

/** How long a command waits for a sidecar that is still starting (e.g. right after the editor opened). */
const SIDECAR_WAIT_MS = 30_000;

export class AgentRuns implements vscode.Disposable {
  private readonly panels = new Map<string, AgentPanel>();
  private readonly workspaces = new Map<string, Workspace>();
  /** Signed in again (or never signed out) since the last run that needed sign-in. */
  private recovered = false;
  /** Signed in with a Claude subscription. */
  private subscription = false;
  /** Runs known to be queued or running, for the `grove.agentRunning` context key. */
  private readonly activeRuns = new Set<string>();
  private activeContext = false;
  /** `runId:state` already notified. */
  private readonly notified = new Set<string>();
  private readonly disposables: { dispose(): unknown }[] = [];
  private sidecarUp = false;
  private upWaiters: (() => void)[] = [];
  /** What the agents of every workspace wait on. */
  readonly requests = new PendingRequests();
  /** Requests already told about in a notification. */
  private readonly toldRequests = new Set<string>();
  private readonly waitingBar: WaitingStatusBar;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly sidecar: Sidecar,
    store: AuthStore,
    private readonly output: vscode.OutputChannel,
    /** The auth profiles, for the composer's profile and model pickers. */
    private readonly profiles?: ProfileStore,
    /** Git statuses and landing actions, for the bar under each panel's header. */
    private readonly landing?: PanelLanding,
    /** The agent CLIs the sidecar lists: the composer's agent picker, and each run's controls by its agent's capabilities. */
    private readonly agentClis: AgentCliStore = new AgentCliStore(),
  ) {
    sidecar.onNotification(AgentEventNotification, (params) => {
      this.panels.get(params.workspaceId)?.onEvent(params);
    });
    sidecar.onNotification(AgentStateChanged, (run) => {
      this.requests.runChanged(run);
      this.runChanged(run);
    });
    sidecar.onNotification(AgentRequestNotification, (request) => {
      if (this.requests.add(request)) this.requestArrived(request);
    });
    sidecar.onNotification(AgentRequestDoneNotification, (done) => {
      this.requests.finish(done);
    });
    this.waitingBar = new WaitingStatusBar(this.requests, (id) => this.workspaces.get(id)?.name ?? id);
    sidecar.onNotification(AuthLoginComplete, (complete) => {
      if (complete.success) this.setRecovered(true);
    });
    sidecar.onNotification(WorkspaceChanged, ({ workspace, removed }) => {
      if (removed) this.workspaces.delete(workspace.id);
      else this.workspaces.set(workspace.id, workspace);
      this.panels.get(workspace.id)?.updateWorkspace(workspace, removed);
      this.waitingBar.apply();
    });
    if (profiles) {
      this.disposables.push(
        profiles.onDidChange(() => {
          for (const panel of this.panels.values()) panel.profilesChanged();
        }),
      );
    }
    this.disposables.push(
      agentClis.onDidChange(() => {
        for (const panel of this.panels.values()) panel.agentsChanged();
      }),
      store.onDidChange((state) => {
        if (state.kind !== 'status') return;
        const { loggedIn, lastFailure } = state.status;
        this.setSubscription(isSubscription(state.status));
        this.setRecovered(loggedIn && lastFailure === null);
      }),
      sidecar.onDidStart(() => {
        this.sidecarUp = true;
        for (const wake of this.upWaiters) wake();
        this.upWaiters = [];
        // After a restart, runs may have ended while no one listened.
        for (const panel of this.panels.values()) void panel.refresh();
        void this.loadActiveRuns();
        void this.loadPending();
      }),
      sidecar.onDidBecomeUnavailable(() => {
        this.sidecarUp = false;
        // Its runs, and what they waited on, went with it.
        this.requests.clear();
      }),
      this.waitingBar,
      vscode.commands.registerCommand(Commands.runAgent, (arg: unknown) => this.guard(() => this.runAgent(arg))),
      vscode.commands.registerCommand(Commands.openAgentPanel, (arg: unknown) => this.guard(() => this.openAgentPanel(arg))),
      vscode.commands.registerCommand(Commands.cancelRun, () => this.guard(() => this.cancelRun())),
      vscode.commands.registerCommand(Commands.openWaitingAgent, () => this.guard(() => this.openWaitingAgent())),
      vscode.commands.registerCommand(Commands.manageRules, (arg: unknown) => this.guard(() => this.manageRules(arg))),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(Settings.maxParallelAgents)) void this.checkParallelNotice();
      }),
    );
    void this.checkParallelNotice();
  }

  /** Opens (or reveals) the panel of a workspace. */
  async openPanel(workspaceId: string, focusPrompt: boolean): Promise<void> {
    const open = this.panels.get(workspaceId);
    if (open) {
      open.reveal(focusPrompt);
      return;
    }
    const workspace = await this.workspace(workspaceId);
    if (!workspace) {
      void vscode.window.showErrorMessage(`Grove: there is no workspace ${workspaceId}.`);
      return;
    }
    // Another call may have opened it meanwhile.
    const raced = this.panels.get(workspaceId);
    if (raced) {
      raced.reveal(focusPrompt);
      return;
    }
    const panel = new AgentPanel(workspace, this.context.extensionUri, {
      request: (type, params) => this.sidecar.sendRequest(type, params),
      authRecovered: () => this.recovered,
      subscription: () => this.subscription,
      signIn: (profile) => this.signIn(profile),
      openAccount: () => this.openAccount(),
      restoreWorkspace: async (id) => {
        await vscode.commands.executeCommand(Commands.restoreWorkspace, { workspaceId: id });
      },
      setAgentPath: (agent) => openMachineSetting(`${Settings.section}.${agent.setting}`),
      agents: this.agentClis,
      profiles: () => this.profiles?.list,
      requests: this.requests,
      ...(this.landing ? { landing: this.landing } : {}),
      log: (line) => {
        this.log(line);
      },
    });
    this.panels.set(workspaceId, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(workspaceId) === panel) this.panels.delete(workspaceId);
    });
    panel.reveal(focusPrompt);
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
    this.panels.clear();
    for (const d of this.disposables) d.dispose();
  }

  /** Waits a while for a sidecar that is starting; requests then fail with its own message if it is not up. */
  private async whenSidecarUp(): Promise<void> {
    if (this.sidecarUp) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, SIDECAR_WAIT_MS);
      this.upWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async runAgent(arg: unknown): Promise<void> {
    const id = workspaceIdFromArg(arg) ?? (await this.pickWorkspace(true));
    if (id !== undefined) await this.openPanel(id, true);
  }

  private async openAgentPanel(arg: unknown): Promise<void> {
    const id = workspaceIdFromArg(arg) ?? (await this.pickWorkspace(false));
    if (id !== undefined) await this.openPanel(id, false);
  }

  /** The panel of the agent that has waited longest for an answer. */
  private async openWaitingAgent(): Promise<void> {
    const oldest = this.requests.oldest();
    if (!oldest) {
      void vscode.window.showInformationMessage('Grove: no agent is waiting for you.');
      return;
    }
    await this.openPanel(oldest.workspaceId, false);
  }

  /** Lists a workspace's always-allow rules; those picked are removed. */
  private async manageRules(arg: unknown): Promise<void> {
    const id = workspaceIdFromArg(arg) ?? (await this.pickWorkspace(false));
    if (id === undefined) return;
    const name = (await this.workspace(id).catch(() => undefined))?.name ?? id;
    const { rules } = await this.sidecar.sendRequest(WorkspaceRulesRequest, { id });
    if (rules.length === 0) {
      void vscode.window.showInformationMessage(`Grove: “${name}” has no always-allow rules. “Always allow here” on an agent's request adds one.`);
      return;
    }
    const picked = await vscode.window.showQuickPick(
      rules.map((rule) => ({ label: ruleLabel(rule), rule })),
      { title: `Always-allow rules of “${name}”`, placeHolder: 'Pick the rules to remove (agents will be asked again)', canPickMany: true },
    );
    if (!picked || picked.length === 0) return;
    let left = rules.length;
    for (const { rule } of picked) left = (await this.sidecar.sendRequest(WorkspaceRemoveRuleRequest, { id, rule })).rules.length;
    void vscode.window.showInformationMessage(`Grove: removed ${picked.length} ${picked.length === 1 ? 'rule' : 'rules'} of “${name}”; ${left} left.`);
  }

  /** Every unanswered request (at start, and after a restart). */
  private async loadPending(): Promise<void> {
    const since = this.requests.mark();
    try {
      const { requests } = await this.sidecar.sendRequest(AgentPendingRequest, {});
      this.requests.replace(requests, since);
    } catch (error) {
      this.log(`pending requests: ${errorMessage(error)}`);
    }
  }

  /** A new request: its panel shows it; when that panel is not in view, a notification says so (once). */
  private requestArrived(request: AgentRequest): void {
    const panel = this.panels.get(request.workspaceId);
    if (panel?.visible) return;
    const key = `${request.runId}:${request.requestId}`;
    if (this.toldRequests.has(key)) return;
    this.toldRequests.add(key);
    void this.tellRequest(request);
  }

  private async tellRequest(request: AgentRequest): Promise<void> {
    const name = (await this.workspace(request.workspaceId).catch(() => undefined))?.name ?? request.workspaceId;
    const open = 'Open';
    const choice = await vscode.window.showInformationMessage(requestNotification(request, name), open);
    if (choice === open) await this.guard(() => this.openPanel(request.workspaceId, false));
  }

  private async cancelRun(): Promise<void> {
    const { runs } = await this.sidecar.sendRequest(AgentListRequest, {});
    const active = runs.filter((r) => isActive(r.state));
    if (active.length === 0) {
      void vscode.window.showInformationMessage('Grove: no agent run is queued or running.');
      return;
    }
    await this.loadWorkspaces().catch(() => undefined);
    const picked = await vscode.window.showQuickPick(
      active.map((run) => ({ ...runRow(run, this.workspaces.get(run.workspaceId)?.name), run })),
      { placeHolder: 'Cancel which agent run?' },
    );
    if (picked) await this.sidecar.sendRequest(AgentCancelRequest, { runId: picked.run.runId });
  }

  /** A quick pick of workspaces (active ones only for a new run); undefined when none or dismissed. */
  private async pickWorkspace(activeOnly: boolean): Promise<string | undefined> {
    const all = await this.loadWorkspaces();
    const candidates = activeOnly ? all.filter((w) => w.state === 'active') : all;
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage(
        activeOnly ? 'Grove: there is no active workspace to run an agent in. Create a workspace first.' : 'Grove: there are no workspaces yet.',
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      candidates.map((w) => ({ ...workspaceRow(w), id: w.id })),
      // The palette hands focus back to an agent panel as it closes, which would close this pick at once.
      { placeHolder: activeOnly ? 'Run an agent in which workspace?' : 'Open the agent panel of which workspace?', matchOnDetail: true, ignoreFocusOut: true },
    );
    return picked?.id;
  }

  private async loadWorkspaces(): Promise<Workspace[]> {
    const { workspaces } = await this.sidecar.sendRequest(WorkspaceListRequest, {});
    this.workspaces.clear();
    for (const w of workspaces) this.workspaces.set(w.id, w);
    return workspaces;
  }

  private async workspace(id: string): Promise<Workspace | undefined> {
    const known = this.workspaces.get(id);
    if (known) return known;
    await this.loadWorkspaces();
    return this.workspaces.get(id);
  }

  private runChanged(run: Run): void {
    if (run.state === 'authRequired') this.setRecovered(false);
    if (isActive(run.state)) this.activeRuns.add(run.runId);
    else this.activeRuns.delete(run.runId);
    this.updateRunningContext();
    const panel = this.panels.get(run.workspaceId);
    panel?.onRunChanged(run);
    if (panel?.visible || runNotification(run, '') === undefined) return;
    const key = `${run.runId}:${run.state}`;
    if (this.notified.has(key)) return;
    void this.notify(run, key);
  }

  /** Tells about a run that ended while its panel was hidden or closed. */
  private async notify(run: Run, key: string): Promise<void> {
    const name = (await this.workspace(run.workspaceId).catch(() => undefined))?.name ?? run.workspaceId;
    const note = runNotification(run, name);
    if (!note || this.notified.has(key)) return;
    this.notified.add(key);
    const open = 'Open';
    const show =
      note.severity === 'error'
        ? vscode.window.showErrorMessage
        : note.severity === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    const choice = await show(note.message, open);
    if (choice === open) await this.guard(() => this.openPanel(run.workspaceId, false));
  }

  /** The runs of every workspace that are queued or running now (at start, and after a restart). */
  private async loadActiveRuns(): Promise<void> {
    try {
      const { runs } = await this.sidecar.sendRequest(AgentListRequest, {});
      this.activeRuns.clear();
      for (const run of runs) if (isActive(run.state)) this.activeRuns.add(run.runId);
    } catch (error) {
      this.log(`agent list: ${errorMessage(error)}`);
    }
    this.updateRunningContext();
  }

  private updateRunningContext(): void {
    const running = this.activeRuns.size > 0;
    if (running === this.activeContext) return;
    this.activeContext = running;
    void vscode.commands.executeCommand('setContext', ContextKeys.agentRunning, running);
  }

  private setSubscription(value: boolean): void {
    if (this.subscription === value) return;
    this.subscription = value;
    for (const panel of this.panels.values()) panel.authChanged();
  }

  private setRecovered(value: boolean): void {
    if (this.recovered === value) return;
    this.recovered = value;
    for (const panel of this.panels.values()) panel.authChanged();
  }

  /**
   * Grove: Sign In for the run's profile (its agent's own sign-in, or Grove's sign-in into that
   * profile; the default agent's own sign-in is Grove: Sign In as it is); when it is not registered
   * (yet), the Account view instead.
   */
  private async signIn(profile?: string): Promise<void> {
    const commands = await vscode.commands.getCommands(true);
    if (!commands.includes(Commands.signIn)) return this.openAccount();
    const target = signInArgument(this.agentClis.all, profile);
    if (target === undefined || (target.profile === null && target.agent === this.agentClis.default?.id)) await vscode.commands.executeCommand(Commands.signIn);
    else await vscode.commands.executeCommand(Commands.signIn, target);
  }

  private async openAccount(): Promise<void> {
    await vscode.commands.executeCommand(focusViewCommand(Views.account));
  }

  private async checkParallelNotice(): Promise<void> {
    const value = vscode.workspace.getConfiguration(Settings.section).get<number>(settingKey(Settings.maxParallelAgents));
    const message = parallelNotice(value, this.context.globalState.get<boolean>(Ids.parallelNoticeShown) === true);
    if (message === undefined) return;
    await this.context.globalState.update(Ids.parallelNoticeShown, true);
    void vscode.window.showInformationMessage(message);
  }

  /** Runs a command's work; failures become an error message rather than a silent rejection. */
  private async guard(work: () => Promise<void>): Promise<void> {
    try {
      await this.whenSidecarUp();
      await work();
    } catch (error) {
      this.log(`agent command failed: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Grove: ${errorMessage(error)}`);
    }
  }

  private log(line: string): void {
    this.output.appendLine(`[grove ${new Date().toLocaleTimeString()}] ${line}`);
  }
}

/** Opens the Settings editor at one machine setting (an agent's `grove.<setting>`), the remote's when the window is remote. */
async function openMachineSetting(setting: string): Promise<void> {
  const command = vscode.env.remoteName !== undefined ? 'workbench.action.openRemoteSettings' : 'workbench.action.openSettings';
  await vscode.commands.executeCommand(command, { query: `@id:${setting}` });
}
