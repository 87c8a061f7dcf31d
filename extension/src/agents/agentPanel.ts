// The agent panel of one workspace (a webview): its runs and their transcripts, live events, the prompt box, Cancel, the sign-in callout's actions, and the landing bar (the branch's state and its actions) under the header.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { Ids, InternalCommands } from '../common/commands';
import { errorMessage, sidecarError } from '../common/errors';
import { COMMON_STYLESHEET, WEBVIEW_SCRIPTS_DIR } from '../common/webview';
import type { RequestType } from 'vscode-jsonrpc';
import { isActive, isLive, PanelPage, WorkspaceRuns, type RunLog } from './agentModel';
import { needsFollowUp, respondParams, type Answer, type PendingRequests } from './requests';
import { renderRequests } from './requestView';
import {
  composerActionsHtml,
  composerState,
  EMPTY_RUNS_HTML,
  landingBarHtml,
  panelHtml,
  panelTitle,
  parseFromWebview,
  promptRefusal,
  renderItemSlot,
  renderRun,
  renderRunFoot,
  renderRunHead,
  startFailure,
  startOptions,
  type ComposerOptions,
  type FromWebview,
  type RunContext,
  type ToWebview,
  workspaceMessage,
} from './agentView';
import {
  AgentCancelRequest,
  AgentInterruptRequest,
  AgentListRequest,
  AgentPendingRequest,
  AgentRespondRequest,
  AgentSendRequest,
  AgentStartRequest,
  AgentTranscriptRequest,
  type AgentCli,
  type AgentEventParams,
  type AgentRequest,
  type AgentStartParams,
  type ProfilesList,
  type Run,
  ErrorCodes,
  type Workspace,
} from '../common/protocol';
import { composerAgents, composerSelection, defaultAgent, retrySelection, runAgent, shownRequests } from './composerModel';
import type { AgentCliStore } from '../agentClis/agentCliStore';
import type { PanelLanding } from '../landing/landing';
import { landingActions, runIsBusy } from '../landing/landingModel';

/** Transcripts read when the panel opens; older runs show theirs on request. */
const TRANSCRIPTS_ON_OPEN = 10;
/** How often, and how long apart, a transcript is read again while live events wait for missing ones. */
const GAP_RETRIES = 3;
const GAP_RETRY_MS = 400;
/** Changes are sent to the webview together, at most this often. */
const FLUSH_MS = 30;

/** What the panel needs from the rest of the extension. */
export interface AgentPanelHost {
  request: Requester;
  /** Signed in again since the last run that needed it. */
  authRecovered(): boolean;
  /** Signed in with a Claude subscription (costs are API equivalents). */
  subscription(): boolean;
  /** Signs in again for the given auth profile (its provider's sign-in), or Claude's. */
  signIn(profile?: string): Promise<void>;
  openAccount(): Promise<void>;
  restoreWorkspace(workspaceId: string): Promise<void>;
  /** Opens the setting naming an agent's binary. */
  setAgentPath(agent: AgentCli): Promise<void>;
  /** The agent CLIs the sidecar lists. */
  agents: AgentCliStore;
  /** The latest auth profiles (undefined until the sidecar listed them). */
  profiles(): ProfilesList | undefined;
  /** What the agents of every workspace wait on (the panel shows its own). */
  requests: PendingRequests;
  /** Each workspace's git status and the landing actions (the bar under the header). */
  landing?: PanelLanding;
  log(line: string): void;
}

/** Sends a request to the sidecar (Sidecar.sendRequest). */
export type Requester = <P, R>(type: RequestType<P, R, void>, params: P) => Promise<R>;

export class AgentPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private runs = new WorkspaceRuns();
  /** Runs the webview has a section for. */
  private readonly shown = new Set<string>();
  private readonly loading = new Set<string>();
  /** How each run started from this panel was started, for Retry. */
  private readonly started = new Map<string, Omit<AgentStartParams, 'workspaceId'>>();
  /** The webview's page: messages go only to a ready one. */
  private readonly page = new PanelPage();
  private loaded = false;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private disposed = false;
  /** The workspace was deleted: the panel shows its runs, read-only. */
  private removed = false;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  /** The requests HTML the webview shows per run. */
  private readonly requestsShown = new Map<string, string>();
  private readonly requestsSubscription: { dispose(): void };
  /** The landing bar the webview shows. */
  private landingShown = '';
  private readonly landingSubscription: { dispose(): void } | undefined;
  /** The finished run last marked as seen. */
  private seenRunId: string | undefined;

  constructor(
    private workspace: Workspace,
    private readonly extensionUri: vscode.Uri,
    private readonly host: AgentPanelHost,
  ) {
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel(Ids.agentPanel, panelTitle(workspace, false, undefined), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [media, vscode.Uri.joinPath(extensionUri, ...WEBVIEW_SCRIPTS_DIR)],
    });
    this.panel.iconPath = vscode.Uri.joinPath(media, 'grove.svg');
    this.panel.webview.onDidReceiveMessage((message: unknown) => {
      const parsed = parseFromWebview(message);
      if (parsed) void this.onMessage(parsed);
    });
    this.panel.onDidDispose(() => {
      this.dispose();
    });
    // A hidden panel's page is gone (messages to it are lost) and is built again when the panel is
    // shown: nothing is sent until the new page says `ready`, which shows it whole, once.
    this.panel.onDidChangeViewState(({ webviewPanel }) => {
      if (webviewPanel.visible) this.markSeen();
      else this.page.gone();
    });
    this.panel.webview.html = this.pageHtml();
    this.requestsSubscription = host.requests.onDidChange(() => {
      this.requestsChanged();
    });
    this.landingSubscription = host.landing?.onDidChange(() => {
      this.landingChanged();
    });
    void this.refresh();
  }

  get workspaceId(): string {
    return this.workspace.id;
  }

  /** Shown in its tab group (not hidden behind another tab). */
  get visible(): boolean {
    return !this.disposed && this.panel.visible;
  }

  /** Brings the panel forward; with `focusPrompt`, the cursor goes to the prompt box. */
  reveal(focusPrompt: boolean): void {
    this.panel.reveal(undefined, false);
    if (focusPrompt && this.page.focusPrompt()) this.post({ type: 'focusPrompt' });
  }

  /** The workspace changed (archived, restored, deleted): the header, the prompt box and, once it is back, the runs. */
  updateWorkspace(workspace: Workspace, removed: boolean): void {
    // A deleted workspace stays deleted (a late notification of it cannot bring the panel back).
    if (this.removed) return;
    const restored = this.workspace.state !== 'active' && workspace.state === 'active' && !removed;
    this.workspace = workspace;
    this.removed = removed;
    this.updateTitle();
    if (this.panel.visible) {
      this.postWorkspace();
      this.landingChanged();
    } else {
      // A hidden panel's page is built again when it is shown: from HTML that says how the workspace is now.
      this.page.gone();
      this.panel.webview.html = this.pageHtml();
    }
    if (restored) void this.refresh();
  }

  /** Reads the runs and the latest transcripts again (on open, and after a sidecar restart). */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    this.runs = new WorkspaceRuns();
    this.loaded = false;
    let list: Run[];
    try {
      list = (await this.host.request(AgentListRequest, { workspaceId: this.workspace.id })).runs;
    } catch (error) {
      this.host.log(`agent list for ${this.workspace.name}: ${errorMessage(error)}`);
      list = [];
    }
    if (this.stale(generation)) return;
    await this.loadPending();
    if (this.stale(generation)) return;
    for (const run of list) this.runs.upsert(run);
    const recent = this.runs.runs.slice(-TRANSCRIPTS_ON_OPEN);
    await Promise.all(recent.map((log) => this.readTranscript(log, generation)));
    if (this.stale(generation)) return;
    this.loaded = true;
    this.updateTitle();
    this.sendAll();
    // The composer's default agent follows the latest run, now known.
    if (this.page.ready) this.postComposer();
  }

  /** The tab's title follows the workspace and its latest run. */
  private updateTitle(): void {
    const next = panelTitle(this.workspace, this.removed, this.runs.latest?.run.state);
    if (!this.disposed && this.panel.title !== next) this.panel.title = next;
  }

  /** The header and the prompt box as the workspace is now (also settles the note's Restore button). */
  private postWorkspace(): void {
    if (this.page.ready) this.post(workspaceMessage(this.workspace, this.removed));
  }

  /** Everything the webview shows, from what the host knows now: for a new page (it said `ready`). */
  private renderWhole(): void {
    if (!this.page.ready || this.disposed) return;
    this.postWorkspace();
    this.postComposer();
    this.landingShown = '';
    this.landingChanged();
    if (this.loaded) this.sendAll();
  }

  /** The finished run of the panel in view is no "new result" any more (a command of the tree; ignored when it is not there). */
  private markSeen(): void {
    if (this.disposed || !this.panel.visible || !this.loaded) return;
    const latest = this.runs.latest;
    if (!latest || isActive(latest.run.state) || this.seenRunId === latest.run.runId) return;
    const runId = latest.run.runId;
    this.seenRunId = runId;
    vscode.commands.executeCommand(InternalCommands.markResultSeen, this.workspace.id, runId).then(undefined, () => undefined);
  }

  /** The unanswered requests of this workspace, also those that arrived while the panel was closed. */
  private async loadPending(): Promise<void> {
    const since = this.host.requests.mark();
    try {
      const { requests } = await this.host.request(AgentPendingRequest, { workspaceId: this.workspace.id });
      this.host.requests.replace(requests, since, this.workspace.id);
    } catch (error) {
      this.host.log(`pending requests of ${this.workspace.name}: ${errorMessage(error)}`);
    }
  }

  /** The requests changed (anywhere): the runs of this panel whose requests look different are shown again. */
  private requestsChanged(): void {
    if (!this.page.ready || !this.loaded || this.disposed) return;
    for (const log of this.runs.runs) {
      const runId = log.run.runId;
      if (!this.shown.has(runId)) continue;
      const html = this.requestsHtml(log);
      if (this.requestsShown.get(runId) === html) continue;
      this.requestsShown.set(runId, html);
      this.post({ type: 'requests', runId, html });
    }
  }

  /** A `grove/agent/event` of this workspace. */
  onEvent(params: AgentEventParams): void {
    const log = this.runs.receive(params.runId, params.seq, params.event);
    if (log && log.hasGap() && log.loaded) void this.fillGap(log);
    this.schedule();
  }

  /**
   * A `grove/agent/stateChanged` of this workspace, or a run this panel started (its events all
   * arrive live, from seq 0, as do those of a run first seen queued; others need their transcript).
   */
  onRunChanged(run: Run, startedHere = false): void {
    const before = this.runs.latest;
    const { log, added, inOrder } = this.runs.upsert(run, startedHere || run.state === 'queued');
    if (added && !log.loaded) {
      void this.readTranscript(log, this.generation).then(() => {
        this.schedule();
      });
    }
    if (added && !inOrder) {
      this.updateTitle();
      this.sendAll();
      return;
    }
    this.updateTitle();
    // The run before loses its Retry when a newer one arrives.
    if (added && before) before.touch();
    this.schedule();
    // A busy agent holds back the git steps.
    this.landingChanged();
  }

  /** The landing bar as it should be now: sent when it differs from what the webview shows. */
  private landingChanged(): void {
    if (!this.page.ready || this.disposed) return;
    const html = this.landingHtml();
    if (html === this.landingShown) return;
    this.landingShown = html;
    this.post({ type: 'landing', html });
  }

  private landingHtml(): string {
    const landing = this.host.landing;
    if (!landing || this.removed || this.workspace.state !== 'active') return '';
    const status = landing.status(this.workspace.id);
    return landingBarHtml(status, landingActions(status, runIsBusy(this.runs.latest?.run.state)), landing.remote());
  }

  /** The profiles changed: the composer's pickers follow. */
  profilesChanged(): void {
    if (this.page.ready) this.postComposer();
  }

  /** The agent CLIs changed (found or lost, say): the composer's pickers and the runs' controls follow. */
  agentsChanged(): void {
    if (this.page.ready) this.postComposer();
    for (const log of this.runs.runs) log.touch();
    this.schedule();
  }

  private postComposer(): void {
    const agents = this.host.agents.all;
    const profiles = this.host.profiles();
    this.post({
      type: 'composer',
      agents: composerAgents(agents, profiles, sendKeys()),
      agent: defaultAgent(agents, this.runs.latest?.run, this.workspace.profile, profiles) ?? '',
    });
  }

  /** The agent CLI of a run, as the sidecar lists it. */
  private agentOf(log: RunLog): AgentCli | undefined {
    return runAgent(this.host.agents.all, log.run);
  }

  /** What a run waits on, as far as its agent asks such things. */
  private requestsOf(log: RunLog): AgentRequest[] {
    return shownRequests(this.host.requests.ofRun(log.run.runId), this.agentOf(log)?.capabilities);
  }

  private requestsHtml(log: RunLog): string {
    return renderRequests(this.requestsOf(log), this.workspace.path);
  }

  /** Start options from the composer: the agent, the profile and, for an endpoint, one of its models. */
  private composerStart(composer: ComposerOptions): Omit<AgentStartParams, 'workspaceId' | 'prompt'> {
    const agent = this.host.agents.get(composer.agent === '' ? undefined : composer.agent);
    return startOptions(composer, (profile, model) => composerSelection(this.host.profiles(), agent, profile, model));
  }

  /** The sign-in state changed: the callout of the latest run may offer Retry now, and costs may be API equivalents. */
  authChanged(): void {
    for (const log of this.runs.runs) log.touch();
    this.schedule();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.page.gone();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.requestsSubscription.dispose();
    this.landingSubscription?.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }

  private async onMessage(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready': {
        const { focusPrompt } = this.page.loaded();
        // A new page (first shown, shown again, or new HTML): the one full render, as the host knows things now.
        this.renderWhole();
        this.markSeen();
        if (focusPrompt) this.post({ type: 'focusPrompt' });
        return;
      }
      case 'send': {
        const refused = promptRefusal(message.prompt) ?? this.refusal();
        if (refused !== undefined) {
          this.post({ type: 'sendFailed', message: refused, actionsHtml: '' });
          return;
        }
        const latest = this.runs.latest;
        // A message reaches a running turn only when its agent takes one; else it starts the next run.
        if (!message.newSession && latest && isLive(latest.run.state) && this.agentOf(latest)?.capabilities.steer !== false) {
          const steered = await this.steer(latest, message.prompt);
          if (steered.kind === 'sent') {
            this.post({ type: 'sent' });
            return;
          }
          if (steered.kind === 'failed') {
            this.post({ type: 'sendFailed', message: steered.message, actionsHtml: '' });
            return;
          }
        }
        const options: Omit<AgentStartParams, 'workspaceId'> = { prompt: message.prompt, ...this.composerStart(message) };
        if (message.newSession) options.newSession = true;
        const error = await this.start(options);
        this.post(error === undefined ? { type: 'sent' } : { type: 'sendFailed', message: error.message, actionsHtml: composerActionsHtml(error.actions) });
        return;
      }
      case 'action':
        await this.onAction(message.action, message.runId, message);
        return;
      case 'respond':
        await this.respond(message);
        return;
      case 'land':
        await this.host.landing?.run(message.action, this.workspace.id);
        return;
    }
  }

  /** Sends a message to the running agent; `followUp` when the run no longer runs (a new run is started instead). */
  private async steer(log: RunLog, text: string): Promise<{ kind: 'sent' } | { kind: 'followUp' } | { kind: 'failed'; message: string }> {
    try {
      await this.host.request(AgentSendRequest, { runId: log.run.runId, text });
      log.addSent(text);
      this.schedule();
      return { kind: 'sent' };
    } catch (error) {
      const failure = sidecarError(error);
      if (needsFollowUp(failure)) return { kind: 'followUp' };
      return { kind: 'failed', message: `The message did not reach the agent: ${failure.message}` };
    }
  }

  /** Answers a request; the request leaves the panel at once (and everywhere, by requestDone). */
  private async respond(answer: Answer): Promise<void> {
    const requests = this.host.requests;
    const request = requests.get(answer.runId, answer.requestId);
    try {
      await this.host.request(AgentRespondRequest, respondParams(answer, request));
      requests.finish(answer);
    } catch (error) {
      const failure = sidecarError(error);
      if (failure.code === ErrorCodes.NotFound) {
        requests.finish(answer);
        void vscode.window.showInformationMessage('Grove: that request was answered already, or its run ended.');
        return;
      }
      this.host.log(`answering request ${answer.requestId} of run ${answer.runId}: ${failure.message}`);
      void vscode.window.showErrorMessage(`Grove: could not answer the agent: ${failure.message}`);
      // Its buttons back.
      this.requestsShown.delete(answer.runId);
      this.requestsChanged();
    }
  }

  private async onAction(action: string, runId: string | null, composer: ComposerOptions): Promise<void> {
    const log = runId === null ? undefined : this.runs.get(runId);
    switch (action) {
      case 'cancel':
        if (runId !== null) {
          await this.host.request(AgentCancelRequest, { runId }).catch((error: unknown) => {
            void vscode.window.showErrorMessage(`Could not cancel the run: ${errorMessage(error)}`);
          });
        }
        return;
      case 'interrupt':
        if (runId !== null) {
          await this.host.request(AgentInterruptRequest, { runId }).catch((error: unknown) => {
            void vscode.window.showErrorMessage(`Could not interrupt the run: ${errorMessage(error)}`);
          });
        }
        return;
      case 'retry': {
        if (!log) return;
        const refused = this.refusal();
        if (refused !== undefined) {
          this.post({ type: 'sendFailed', message: refused, actionsHtml: '' });
          return;
        }
        const earlier = this.started.get(log.run.runId);
        const options = earlier ? { ...earlier, prompt: log.run.prompt } : { prompt: log.run.prompt, ...this.composerStart(composer) };
        const error = await this.start(options);
        if (error !== undefined) this.post({ type: 'sendFailed', message: error.message, actionsHtml: composerActionsHtml(error.actions) });
        return;
      }
      case 'retryWithProfile': {
        const next = log?.run.retryProfile;
        if (!log || next === undefined) return;
        const refused = this.refusal();
        if (refused !== undefined) {
          this.post({ type: 'sendFailed', message: refused, actionsHtml: '' });
          return;
        }
        const earlier = this.started.get(log.run.runId);
        const rest: Omit<AgentStartParams, 'workspaceId' | 'prompt'> = { ...(earlier ?? { permissionMode: composer.permissionMode }) };
        delete rest.profile;
        delete rest.model;
        // The agent that runs the next profile (the sidecar picks it by the profile).
        delete rest.agent;
        const nextProfile = this.host.profiles()?.profiles.find((p) => p.id === next);
        const nextAgent = nextProfile ? this.host.agents.forProfile(nextProfile)[0] : undefined;
        const selection = retrySelection(this.host.profiles(), nextAgent, next, log.run.profile ?? earlier?.profile, log.run.model ?? earlier?.model);
        const options: Omit<AgentStartParams, 'workspaceId'> = { ...rest, ...selection, prompt: log.run.prompt };
        this.host.log(`retrying run ${log.run.runId} with profile ${next}`);
        const error = await this.start(options);
        if (error !== undefined) this.post({ type: 'sendFailed', message: error.message, actionsHtml: composerActionsHtml(error.actions) });
        return;
      }
      case 'restoreWorkspace':
        try {
          await this.host.restoreWorkspace(this.workspace.id);
        } finally {
          // Restored, refused or dismissed: the note's Restore button settles (a change renders it again sooner).
          this.postWorkspace();
        }
        return;
      case 'setAgentPath': {
        // The run's agent, else the one chosen in the composer, else the default.
        const agent = (log ? this.agentOf(log) : undefined) ?? this.host.agents.get(composer.agent) ?? this.host.agents.default;
        if (agent) await this.host.setAgentPath(agent);
        return;
      }
      case 'signIn':
        await this.host.signIn(this.runs.latest?.run.profile);
        return;
      case 'openAccount':
        await this.host.openAccount();
        return;
      case 'loadTranscript':
        if (log) {
          const reading = this.readTranscript(log, this.generation);
          this.schedule();
          await reading;
          this.schedule();
        }
        return;
    }
  }

  /** Why the workspace takes no prompt now (deleted, archived), or undefined. */
  private refusal(): string | undefined {
    return composerState(this.workspace, this.removed).note ?? undefined;
  }

  /** Starts a run; answers what to show when it did not start, or undefined when it started. */
  private async start(options: Omit<AgentStartParams, 'workspaceId'>): Promise<ReturnType<typeof startFailure> | undefined> {
    try {
      const run = await this.host.request(AgentStartRequest, { workspaceId: this.workspace.id, ...options });
      this.started.set(run.runId, options);
      this.onRunChanged(run, true);
      return undefined;
    } catch (error) {
      const agent = this.host.agents.get(options.agent) ?? this.host.agents.default;
      return startFailure(error, errorMessage(error), agent);
    }
  }

  private async readTranscript(log: RunLog, generation: number): Promise<void> {
    const runId = log.run.runId;
    if (this.loading.has(runId)) return;
    this.loading.add(runId);
    try {
      const { events } = await this.host.request(AgentTranscriptRequest, { runId });
      if (generation === this.generation) log.loadTranscript(events);
    } catch (error) {
      this.host.log(`agent transcript of ${runId}: ${errorMessage(error)}`);
    } finally {
      this.loading.delete(runId);
      log.touch();
    }
    if (log.hasGap()) void this.fillGap(log);
  }

  /** Live events wait for earlier ones: read the transcript again, and at last show what there is. */
  private async fillGap(log: RunLog): Promise<void> {
    const runId = log.run.runId;
    if (this.loading.has(`gap:${runId}`)) return;
    this.loading.add(`gap:${runId}`);
    try {
      for (let i = 0; i < GAP_RETRIES && log.hasGap(); i++) {
        await sleep(GAP_RETRY_MS);
        if (this.disposed) return;
        const { events } = await this.host.request(AgentTranscriptRequest, { runId });
        log.loadTranscript(events);
      }
      if (log.hasGap()) {
        this.host.log(`agent run ${runId}: events missing from its transcript; showing the rest`);
        log.skipGap();
      }
    } catch (error) {
      this.host.log(`agent transcript of ${runId}: ${errorMessage(error)}`);
      log.skipGap();
    } finally {
      this.loading.delete(`gap:${runId}`);
      this.schedule();
    }
  }

  /** A newer refresh started, or the panel was closed. */
  private stale(generation: number): boolean {
    return generation !== this.generation || this.disposed;
  }

  private context(log: RunLog): RunContext {
    const all = this.runs.runs;
    const index = all.indexOf(log);
    const agent = this.agentOf(log);
    return {
      isLatest: index === all.length - 1,
      authRecovered: this.host.authRecovered(),
      session: this.runs.sessionMarker(log, this.started.get(log.run.runId)?.newSession === true),
      loading: this.loading.has(log.run.runId),
      requests: this.requestsOf(log),
      root: this.workspace.path,
      subscription: this.host.subscription(),
      now: Date.now(),
      ...(agent ? { agent } : {}),
    };
  }

  /** Renders everything again in the webview. */
  private sendAll(): void {
    if (!this.page.ready || !this.loaded) return;
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    this.shown.clear();
    this.requestsShown.clear();
    const parts: string[] = [];
    for (const log of this.runs.runs) {
      log.takeChanges();
      parts.push(renderRun(log, this.context(log)));
      this.shown.add(log.run.runId);
      this.requestsShown.set(log.run.runId, this.requestsHtml(log));
    }
    this.post({ type: 'reset', html: parts.length > 0 ? parts.join('') : EMPTY_RUNS_HTML });
    this.markSeen();
  }

  private schedule(): void {
    if (this.flushTimer || this.disposed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, FLUSH_MS);
  }

  /** Sends what changed since the last flush. */
  private flush(): void {
    if (!this.page.ready || !this.loaded) return;
    for (const log of this.runs.runs) {
      const runId = log.run.runId;
      if (!this.shown.has(runId)) {
        log.takeChanges();
        this.post({ type: 'runAdded', runId, html: renderRun(log, this.context(log)) });
        this.shown.add(runId);
        this.requestsShown.set(runId, this.requestsHtml(log));
        continue;
      }
      const changes = log.takeChanges();
      if (changes.items.length > 0) {
        const items = changes.items.flatMap((index) => {
          const item = log.items[index];
          return item ? [{ index, html: renderItemSlot(index, item) }] : [];
        });
        this.post({ type: 'items', runId, items });
      }
      if (changes.meta || changes.items.length > 0) {
        const context = this.context(log);
        this.post({ type: 'runUpdated', runId, headHtml: renderRunHead(log, context), footHtml: renderRunFoot(log, context) });
      }
    }
    this.markSeen();
  }

  /** To the page, when one is ready (a gone page's state is sent whole to the next one). */
  private post(message: ToWebview): void {
    if (this.disposed || !this.page.ready) return;
    void this.panel.webview.postMessage(message);
  }

  private pageHtml(): string {
    const webview = this.panel.webview;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    return panelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...WEBVIEW_SCRIPTS_DIR, 'agent-panel.js')).toString(),
      styleUris: [COMMON_STYLESHEET, 'agent-panel.css'].map((file) => webview.asWebviewUri(vscode.Uri.joinPath(media, file)).toString()),
      workspace: this.workspace,
      removed: this.removed,
      isMac: isMac(),
      landingHtml: this.landingHtml(),
    });
  }
}

function isMac(): boolean {
  return process.platform === 'darwin';
}

/** The keys that send the prompt, as the placeholder says them. */
function sendKeys(): string {
  return isMac() ? '⌘+Enter' : 'Ctrl+Enter';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
