// The Account feature in the editor: the status bar, the Account view, the sign-in commands (Sign In/Out, paste code, cancel, open the link, check) for the default agent (Claude) and for every other agent the sidecar lists (routed by the `agent` its notifications carry), the agent CLIs' "Set path…", and the "sign in again" alert, wired to the sidecar.
import * as vscode from 'vscode';
import { Commands, ContextKeys, focusViewCommand, Settings, Views } from '../common/commands';
import { AccountView } from './accountView';
import type { AuthController, AuthState, AuthStore } from './accountState';
import {
  AuthLoginCancelRequest,
  AuthLoginComplete,
  AuthLoginInputRequest,
  AuthLoginProgress,
  AuthLoginRequest,
  AuthValidateRequest,
  type AuthLoginCancelParams,
  type AuthLoginInputParams,
  type AuthLoginParams,
  type LoginMethod,
} from '../common/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import { isRecord } from '../common/json';
import {
  failureAlertMessage,
  FailureAlerts,
  isLoopbackUrl,
  isLoginMethod,
  METHOD_CHOICES,
  methodLabel,
  scrub,
  SignInController,
  signOutCaveat,
  signOutCommandLine,
  plainLoginError,
  SIGN_IN_AGAIN,
  type LoginOutcome,
  type Problem,
  type ProblemAction,
  isCliTarget,
  type AgentWords,
} from './signIn';
import {
  AGENT_PASTE_BOX,
  agentGuideMessage,
  agentRequestFromArg,
  AgentSignIns,
  agentTarget,
  agentWords,
  describeAgentError,
  flowAgent,
  groveSignInProvider,
  signInSubject,
  takesPaste,
  terminalSignIn,
  type AgentFlow,
  type AgentSignInRequest,
} from './agentSignIn';
import { cliSignInChoices } from '../profiles/addProfile';
import type { AgentCliStore } from '../agentClis/agentCliStore';
import { StatusBar } from './accountStatusBar';
import { TerminalSignIns } from './terminalSignIn';
import { authContext, INSTALL_URL, type AuthContext } from './accountModel';
import type { UsageFeed } from '../usage/usage';
import type { ProfileStore } from '../profiles/profileStore';

const ACTION_LABELS: Record<ProblemAction, string> = {
  showSignIn: 'Show Sign-in',
  signIn: 'Sign In',
  retrySignIn: 'Retry',
  installCli: 'Install Claude Code',
  openClaudePathSetting: 'Set Claude CLI Path…',
  showLogs: 'Show Logs',
  showOutput: 'Show Output',
};

/** The buttons of the notification that guides a sign-in. */
const OPEN_BROWSER = 'Open Browser';
const COPY_LINK = 'Copy Link';
const PASTE_CODE = 'Paste Code';

/**
 * Opens a setting in the settings editor, on the tab where it can be set: Grove's CLI settings
 * have machine scope, which a remote window (code-server, SSH, containers) sets in its Remote tab.
 */
export async function openMachineSetting(setting: string): Promise<void> {
  const options = { query: `@id:${setting}` };
  const command = vscode.env.remoteName !== undefined ? 'workbench.action.openRemoteSettings' : 'workbench.action.openSettings';
  await vscode.commands.executeCommand(command, options);
}

/**
 * One of the sign-ins the sidecar runs side by side: the default agent's (`agent` undefined: its
 * own flow, with a method), or another agent's (Grove's own sign-in into a profile, or the agent
 * CLI's own).
 */
type Flow = Omit<AgentFlow, 'agent'> & { agent: string | undefined };

/** The agent a command's argument (a row of an agent's sign-in, or `{login: "<agent>"}`) is about. */
function loginOfArg(arg: unknown): string | undefined {
  return isRecord(arg) && typeof arg.login === 'string' && arg.login !== '' ? arg.login : undefined;
}

export class Account implements vscode.Disposable {
  readonly signIn: SignInController;
  /** The other agents' sign-ins, one flow per agent. */
  readonly agentSignIns: AgentSignIns;
  private readonly claude: Flow;
  private readonly alerts = new FailureAlerts();
  private readonly view: AccountView;
  /** The agent CLIs that sign in only in their own interactive flow, each in a terminal. */
  private readonly terminals: TerminalSignIns;
  private readonly disposables: { dispose(): unknown }[] = [];
  private signingIn = false;
  private authState: AuthContext | undefined;
  /** The method of the latest sign-in of this window (Retry uses it). */
  private lastMethod: LoginMethod | undefined;

  constructor(
    sidecar: Sidecar,
    private readonly store: AuthStore,
    private readonly auth: AuthController,
    private readonly output: vscode.OutputChannel,
    /** The last usage answer, for the status bar's tooltip. */
    usage: UsageFeed | undefined,
    /** The auth profiles, listed in the Account view and named in the status bar's tooltip. */
    profiles: ProfileStore | undefined,
    /** The agent CLIs (`grove/agents/list`): their sign-ins, words and rows. */
    private readonly clis: AgentCliStore,
  ) {
    const requests = {
      login: (params: AuthLoginParams) => sidecar.sendRequest(AuthLoginRequest, params),
      input: (params: AuthLoginInputParams) => sidecar.sendRequest(AuthLoginInputRequest, params),
      cancel: (params: AuthLoginCancelParams) => sidecar.sendRequest(AuthLoginCancelRequest, params),
      validate: () => sidecar.sendRequest(AuthValidateRequest, {}),
    };
    // The sign-ins of several agents can run at once; the `agent` of their notifications tells them apart.
    this.signIn = new SignInController(requests);
    this.agentSignIns = new AgentSignIns((agent) => {
      const controller = new SignInController(requests, undefined, {
        describe: (error, operation) => describeAgentError(this.clis.get(agent), this.words(agent))(error, operation),
      });
      const flow = this.agentSignIns.flow.bind(this.agentSignIns);
      this.disposables.push(
        controller.onDidChange(() => {
          this.updateContext();
        }),
        controller.onDidComplete((loginId, outcome) => {
          this.completed(flow(agent), loginId, outcome);
        }),
      );
      return controller;
    });
    this.claude = { agent: undefined, controller: this.signIn, guided: undefined, lastTarget: undefined, forwarded: undefined };
    sidecar.onNotification(AuthLoginProgress, (params) => {
      const flow = this.flowOfAgent(params.agent);
      flow.controller.progress(params);
      // The CLI's own words go to the output channel ("Show output"), masked like the view's.
      const state = flow.controller.state;
      const line = state.kind === 'running' ? (state.lines.at(-1)?.line ?? '') : scrub(params.line);
      const source = flow.agent === undefined ? 'claude auth login' : `${this.words(flow.agent).service} sign-in`;
      if (state.kind !== 'running' || state.loginId === params.loginId) this.log(`${source}${params.stream === 'stderr' ? ' (stderr)' : ''}: ${line}`);
      if (flow.agent !== undefined) void this.forwardCallback(flow, params.loginId, params.url);
      this.guide(flow);
    });
    sidecar.onNotification(AuthLoginComplete, (params) => {
      this.flowOfAgent(params.agent).controller.complete(params);
    });
    this.view = new AccountView(store, this.signIn, profiles, this.agentSignIns, clis);
    this.terminals = new TerminalSignIns(sidecar, (line) => {
      this.log(line);
    });
    const sidecarGone = "Grove's sidecar stopped, and the sign-in with it.";
    this.disposables.push(
      this.view,
      this.terminals,
      new StatusBar(store, this.signIn, usage, profiles),
      // A sign-in runs inside the sidecar: a restarted sidecar has none.
      sidecar.onDidBecomeUnavailable(() => {
        this.signIn.reset(sidecarGone);
        for (const flow of this.agentSignIns.all) flow.controller.reset(sidecarGone);
      }),
      sidecar.onDidStart(() => {
        this.signIn.reset(sidecarGone);
        for (const flow of this.agentSignIns.all) flow.controller.reset(sidecarGone);
      }),
      this.agentSignIns,
      store.onDidChange((state) => {
        this.statusSeen(state);
      }),
      this.signIn.onDidChange(() => {
        this.updateContext();
      }),
      store.onDidChange(() => {
        this.updateContext();
      }),
      this.signIn.onDidComplete((loginId, outcome) => {
        this.completed(this.claude, loginId, outcome);
      }),
      vscode.commands.registerCommand(Commands.signIn, (method?: unknown) => {
        const request = agentRequestFromArg(method, this.clis);
        return request !== undefined ? this.startAgentSignIn(request) : this.startSignIn(method);
      }),
      vscode.commands.registerCommand(Commands.pasteSignInCode, (arg?: unknown) => this.pasteCode(this.flowOf(arg))),
      vscode.commands.registerCommand(Commands.cancelSignIn, (arg?: unknown) => this.cancel(this.flowOf(arg))),
      vscode.commands.registerCommand(Commands.openSignInPage, (arg?: unknown) => this.openPage(this.flowOf(arg))),
      vscode.commands.registerCommand(Commands.copySignInLink, (arg?: unknown) => this.copyLink(this.flowOf(arg))),
      vscode.commands.registerCommand(Commands.refreshStatus, () => this.refresh()),
      vscode.commands.registerCommand(Commands.signOut, () => this.signOut()),
      vscode.commands.registerCommand(Commands.setClaudePath, () => openMachineSetting(Settings.claudePath)),
    );
    this.updateContext();
  }

  /** "Grove: Sign In": shows the Account view, asks how (unless `method` says), and starts `claude auth login`. */
  private async startSignIn(method: unknown): Promise<void> {
    await vscode.commands.executeCommand(focusViewCommand(Views.account));
    // One at a time: the view shows the one under way.
    if (this.signIn.busy) return;
    // From a row's inline button the argument is the row: only a method name counts.
    const chosen = isLoginMethod(method) ? method : await this.pickMethod();
    if (chosen === undefined) return;
    this.lastMethod = chosen;
    this.log(`starting a sign-in (${methodLabel(chosen)})`);
    const result = await this.signIn.start(chosen);
    // Progress that overtook the answer was replayed without a guide.
    this.guide(this.claude);
    switch (result.kind) {
      case 'started':
        this.log(`sign-in ${result.loginId} started`);
        break;
      case 'busy':
        break;
      case 'adopted':
        this.log(`a sign-in was already running (${result.loginId}); showing it`);
        this.showProblem(result.problem);
        break;
      case 'failed':
        this.log(`the sign-in did not start: ${result.problem.message}`);
        this.showProblem(result.problem);
        break;
    }
  }

  /** How an agent's sign-ins are named (its id when the sidecar has not listed it). */
  private words(agent: string): AgentWords {
    const found = this.clis.get(agent);
    return found ? agentWords(found, this.clis) : { agent, label: agent, service: agent };
  }

  /** The flow a sign-in notification of `agent` belongs to. */
  private flowOfAgent(agent: string | undefined): Flow {
    const other = flowAgent(agent, this.clis.default?.id);
    return other === undefined ? this.claude : this.agentSignIns.flow(other);
  }

  /**
   * "Grove: Sign In" with `{agent, provider?, profile}`: Grove's own sign-in into
   * `<provider>:<profile>`; with `profile: null`, the agent CLI's own sign-in (asked how, unless
   * `device` says).
   */
  private async startAgentSignIn(request: AgentSignInRequest): Promise<void> {
    await vscode.commands.executeCommand(focusViewCommand(Views.account));
    // A CLI that signs in only in its own interactive flow does so in a terminal.
    const cli = request.profile === null ? this.clis.get(request.agent) : undefined;
    const inTerminal = cli === undefined ? undefined : terminalSignIn(cli);
    if (cli !== undefined && inTerminal !== undefined) {
      if ('notFound' in inTerminal) void vscode.window.showWarningMessage(inTerminal.notFound);
      else this.terminals.start(cli, inTerminal);
      return;
    }
    const flow = this.agentSignIns.flow(request.agent);
    const words = this.words(request.agent);
    if (flow.controller.busy) {
      this.showProblem(
        { message: `A ${words.service} sign-in is already running: finish it or cancel it in the Account view.`, actions: ['showSignIn'], severity: 'info' },
        flow,
      );
      return;
    }
    const agent = this.clis.get(request.agent);
    let device = request.profile === null ? request.device : false;
    if (request.profile === null && device === undefined) {
      const choices = agent ? cliSignInChoices(agent, vscode.env.remoteName !== undefined) : [];
      const picked =
        choices.length <= 1
          ? choices[0]
          : await vscode.window.showQuickPick(choices, { title: `Sign in the ${words.label} CLI`, placeHolder: 'How do you sign in?' });
      if (!picked && choices.length > 0) return;
      device = picked?.device ?? false;
    }
    const provider = request.profile !== null ? (request.provider ?? (agent ? groveSignInProvider(agent) : request.agent)) : '';
    const target = agentTarget(request.profile !== null ? { provider, profile: request.profile } : { profile: null, device: device === true }, words);
    flow.lastTarget = target;
    this.log(`starting a sign-in to ${signInSubject(target, words)}`);
    const result = await flow.controller.startTarget(target);
    // Progress that overtook the answer was replayed without a guide (or a forwarded callback).
    const replayed = flow.controller.state;
    if (replayed.kind === 'running') for (const line of replayed.lines) void this.forwardCallback(flow, replayed.loginId, line.url);
    this.guide(flow);
    switch (result.kind) {
      case 'started':
        this.log(`sign-in ${result.loginId} started`);
        break;
      case 'busy':
        break;
      case 'adopted':
        this.log(`a ${words.service} sign-in was already running (${result.loginId}); showing it`);
        this.showProblem(result.problem, flow);
        break;
      case 'failed':
        this.log(`the ${words.service} sign-in did not start: ${result.problem.message}`);
        this.showProblem(result.problem, flow);
        break;
    }
  }

  /**
   * The sign-in a command is about: an agent's for its rows (`{login: "<agent>"}`); from the
   * palette, the one running (the default agent's when it is).
   */
  private flowOf(arg: unknown): Flow {
    const agent = loginOfArg(arg);
    if (agent !== undefined) return this.agentSignIns.flow(agent);
    const busy = this.agentSignIns.busy;
    if (!this.signIn.busy && busy !== undefined) return busy;
    return this.claude;
  }

  /**
   * A remote window: the editor forwards the port of Grove's own sign-in's callback
   * (`asExternalUri`), so that a browser on this machine may come back to it. Best effort: where
   * the forwarded address differs (a web editor's tunnel), only a paste completes the sign-in.
   */
  private async forwardCallback(flow: Flow, loginId: string, url: string | null): Promise<void> {
    if (vscode.env.remoteName === undefined || url === null || flow.forwarded === loginId) return;
    const state = flow.controller.state;
    // Grove's own sign-in into a profile listens for the browser; an agent CLI's own does so itself.
    if (state.kind !== 'running' || state.loginId !== loginId || state.target === undefined || 'method' in state.target || isCliTarget(state.target)) return;
    if (!isLoopbackUrl(url) || !url.includes('/auth/callback')) return;
    flow.forwarded = loginId;
    try {
      const local = vscode.Uri.parse(url);
      const external = await vscode.env.asExternalUri(local);
      const same = external.authority === local.authority;
      this.log(
        same
          ? `the sign-in's callback port is forwarded to this machine (${external.authority})`
          : 'the callback is forwarded elsewhere: paste the address the browser ends on',
      );
    } catch (error) {
      this.log(`the callback port could not be forwarded: ${error instanceof Error ? error.message : String(error)}; paste the address instead`);
    }
  }

  private async pickMethod(): Promise<LoginMethod | undefined> {
    const picked = await vscode.window.showQuickPick(
      METHOD_CHOICES.map((c) => ({ label: c.label, detail: c.detail, method: c.method })),
      { title: 'Sign in to Claude', placeHolder: 'Which account do you sign in with?' },
    );
    return picked?.method;
  }

  /**
   * "Paste code": a password box (never shown, never logged); the code goes to the CLI's stdin, or,
   * for Grove's own sign-in of an agent, the address the browser ended on (or its code) goes to the sidecar.
   */
  private async pasteCode(flow: Flow = this.claude): Promise<void> {
    const state = flow.controller.state;
    if (state.kind !== 'running') {
      this.showProblem(
        { message: 'No sign-in is running. Press Sign in first, then paste the code it asks for.', actions: ['signIn'], severity: 'info' },
        flow,
      );
      return;
    }
    if (isCliTarget(state.target)) {
      const label = state.target.label;
      this.showProblem(
        {
          message: `The ${label} CLI's own sign-in needs nothing pasted: approve the sign-in in the browser and the ${label} CLI finishes by itself.`,
          actions: ['showOutput'],
          severity: 'info',
        },
        flow,
      );
      return;
    }
    const address = flow.agent !== undefined;
    const code = await vscode.window.showInputBox({
      title: address ? AGENT_PASTE_BOX.title : 'Paste the sign-in code',
      prompt: address
        ? AGENT_PASTE_BOX.prompt
        : 'After you approve the sign-in in the browser, the page shows a code: paste it here. It goes to the Claude CLI only.',
      placeHolder: address ? AGENT_PASTE_BOX.placeHolder : 'Code from the sign-in page',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) =>
        value.trim() === '' ? (address ? 'Paste the address the browser ended on.' : 'Paste the code the sign-in page shows.') : undefined,
    });
    if (code === undefined) return;
    const problem = await flow.controller.submitCode(code);
    if (problem) {
      this.log(`the code was not sent: ${problem.message}`);
      this.showProblem(problem, flow);
    } else {
      this.log(address ? 'the pasted address was sent to the sidecar' : 'the pasted code was sent to the CLI');
    }
  }

  private async cancel(flow: Flow = this.claude): Promise<void> {
    if (!flow.controller.busy) return;
    this.log(flow.agent !== undefined ? `cancelling the ${this.words(flow.agent).service} sign-in` : 'cancelling the sign-in');
    const problem = await flow.controller.cancel();
    if (problem) this.showProblem(problem, flow);
  }

  private currentLink(flow: Flow): string | undefined {
    const state = flow.controller.state;
    if (state.kind === 'running' && state.url !== null) return state.url;
    this.showProblem(
      {
        message: flow.controller.busy
          ? "The sign-in page's link has not arrived yet; it appears in the Account view."
          : 'No sign-in is running. Press Sign in first.',
        actions: flow.controller.busy ? ['showSignIn'] : ['signIn'],
        severity: 'info',
      },
      flow,
    );
    return undefined;
  }

  /** "Open in browser": on the machine of the editor's window (the CLI's own attempt opens it where the sidecar runs). */
  private async openPage(flow: Flow = this.claude): Promise<void> {
    const url = this.currentLink(flow);
    if (url === undefined) return;
    let opened: boolean;
    if (vscode.env.remoteName !== undefined && isLoopbackUrl(url)) {
      // A page on the remote machine itself (a device page, a local login server): the editor
      // forwards its port and gives the address to open on the user's machine.
      const external = await vscode.env.asExternalUri(vscode.Uri.parse(url));
      opened = await vscode.env.openExternal(external);
    } else {
      // The link as the CLI printed it, byte for byte: a Uri would re-encode its query (the OAuth
      // redirect_uri's %3A%2F%2F comes out decoded; microsoft/vscode#85930). openExternal keeps a
      // string as it is (microsoft/vscode#173239), though its type only admits a Uri; in a remote
      // window it opens on the user's machine.
      opened = await vscode.env.openExternal(url as unknown as vscode.Uri);
    }
    this.log(opened ? 'opened the sign-in page in the browser' : 'the browser did not open the sign-in page');
  }

  private async copyLink(flow: Flow = this.claude): Promise<void> {
    const url = this.currentLink(flow);
    if (url === undefined) return;
    await vscode.env.clipboard.writeText(url);
    vscode.window.setStatusBarMessage('$(check) Sign-in link copied', 3000);
  }

  /** The refresh button: when signed in, one small request checks the credentials; then the status is read again. */
  private async refresh(): Promise<void> {
    const state = this.store.state;
    if (state.kind === 'status' && state.status.loggedIn) {
      this.log('checking the credentials');
      const problem = await this.signIn.validate();
      const validation = this.signIn.view.validation;
      if (validation.kind === 'done') this.log(`credentials check: ${validation.ok ? 'ok' : `failed: ${validation.message ?? 'no answer'}`}`);
      if (problem) this.showProblem(problem);
    }
    await this.auth.refresh(true);
  }

  /** "Grove: Sign Out": `claude auth logout` in a terminal; the sidecar sees the credentials go. */
  private async signOut(): Promise<void> {
    const state = this.store.state;
    if (state.kind !== 'status') {
      const message =
        state.kind === 'cliMissing'
          ? 'Grove cannot sign out: the Claude CLI was not found. Install Claude Code, or set grove.claudePath to the claude executable.'
          : state.kind === 'checking'
            ? 'Grove is still checking the sign-in status; try again in a moment.'
            : `Grove cannot sign out: ${state.message}`;
      this.showProblem({ message, actions: state.kind === 'cliMissing' ? ['installCli', 'openClaudePathSetting'] : [], severity: 'warning' });
      return;
    }
    const { status } = state;
    if (!status.loggedIn) {
      void vscode.window.showInformationMessage('Claude is not signed in.');
      return;
    }
    const signOut = 'Sign Out';
    const detail = [
      'This runs `claude auth logout` in a terminal: the Claude CLI signs out on this computer, for every tool that uses it.',
      signOutCaveat(status),
    ]
      .filter((s) => s !== undefined)
      .join('\n\n');
    const choice = await vscode.window.showWarningMessage('Sign out of Claude?', { modal: true, detail }, signOut);
    if (choice !== signOut) return;
    const terminal = vscode.window.createTerminal({ name: 'Claude sign-out', iconPath: new vscode.ThemeIcon('sign-out') });
    terminal.show();
    terminal.sendText(signOutCommandLine(status.cli.path));
    this.log('signing out: `claude auth logout` runs in a terminal');
  }

  /**
   * Once the sign-in page's link is known: one notification that says what to do, with its three
   * actions (as VS Code's own device-code sign-ins do). It comes back after Open Browser or Copy
   * Link, for the code, until the sign-in ends.
   */
  private guide(flow: Flow): void {
    const state = flow.controller.state;
    if (state.kind !== 'running' || state.url === null || state.codeSent || state.cancelling || flow.guided === state.loginId) return;
    // An agent CLI's device-code sign-in: the notification names the code, which comes on a later line.
    const target = state.target;
    if (isCliTarget(target) && target.device && state.userCode === undefined) return;
    flow.guided = state.loginId;
    void this.showGuide(flow, state.loginId);
  }

  private async showGuide(flow: Flow, loginId: string): Promise<void> {
    const state = flow.controller.state;
    if (state.kind !== 'running' || state.loginId !== loginId) return;
    const message =
      flow.agent !== undefined
        ? agentGuideMessage(state, this.words(flow.agent))
        : 'Sign in to Claude: open the sign-in page, approve the sign-in, then paste the code the page shows.';
    const actions = takesPaste(state.target) ? [OPEN_BROWSER, COPY_LINK, PASTE_CODE] : [OPEN_BROWSER, COPY_LINK];
    const choice = await vscode.window.showInformationMessage(message, ...actions);
    const now = flow.controller.state;
    if (now.kind !== 'running' || now.loginId !== loginId) return;
    if (choice === OPEN_BROWSER) await this.openPage(flow);
    else if (choice === COPY_LINK) await this.copyLink(flow);
    else if (choice === PASTE_CODE) {
      await this.pasteCode(flow);
      return;
    } else return;
    // The code comes next (a sign-in that takes none finishes by itself).
    const after = flow.controller.state;
    if (takesPaste(after.kind === 'running' ? after.target : undefined) && after.kind === 'running' && after.loginId === loginId && !after.codeSent) {
      void this.showGuide(flow, loginId);
    }
  }

  private completed(flow: Flow, loginId: string, outcome: LoginOutcome): void {
    const words = flow.agent === undefined ? undefined : this.words(flow.agent);
    const subject = words !== undefined ? signInSubject(flow.lastTarget, words) : 'Claude';
    if (outcome.success) {
      this.log(`sign-in ${loginId} succeeded`);
      vscode.window.setStatusBarMessage(`$(check) Signed in to ${subject}`, 5000);
      return;
    }
    const failure = plainLoginError(outcome.error, words?.service ?? 'Claude');
    if (failure.cancelled) {
      this.log(`sign-in ${loginId} was cancelled`);
      return;
    }
    this.log(`sign-in ${loginId} failed: ${outcome.error ?? ''}`);
    this.showProblem({ message: failure.sentence, actions: ['retrySignIn', 'showOutput'], severity: 'warning' }, flow);
  }

  /** Every status: clears old sign-in news, and raises one alert per new auth failure. */
  private statusSeen(state: AuthState): void {
    if (state.kind !== 'status') return;
    this.signIn.statusSeen(state.status);
    const failure = this.alerts.check(state.status);
    if (!failure) return;
    this.log(`${SIGN_IN_AGAIN}: ${failure.source} failed: ${scrub(failure.message)}`);
    const signIn = 'Sign in';
    void vscode.window.showWarningMessage(failureAlertMessage(failure), signIn).then((choice) => {
      this.alerts.closed();
      if (choice === signIn) void vscode.commands.executeCommand(Commands.signIn);
    });
  }

  private updateContext(): void {
    const busy = this.signIn.busy || this.agentSignIns.busy !== undefined;
    if (busy !== this.signingIn) {
      this.signingIn = busy;
      void vscode.commands.executeCommand('setContext', ContextKeys.signingIn, busy);
    }
    const state = authContext(this.store.state, this.signIn.view);
    if (state !== this.authState) {
      this.authState = state;
      void vscode.commands.executeCommand('setContext', ContextKeys.authState, state);
    }
  }

  private showProblem(problem: Problem, flow: Flow = this.claude): void {
    const labels = problem.actions.map((a) => ACTION_LABELS[a]);
    const shown =
      problem.severity === 'error'
        ? vscode.window.showErrorMessage(problem.message, ...labels)
        : problem.severity === 'warning'
          ? vscode.window.showWarningMessage(problem.message, ...labels)
          : vscode.window.showInformationMessage(problem.message, ...labels);
    void shown.then((label) => {
      const action = problem.actions.find((a) => ACTION_LABELS[a] === label);
      if (action) void this.run(action, flow);
    });
  }

  private async run(action: ProblemAction, flow: Flow): Promise<void> {
    switch (action) {
      case 'showSignIn':
        await vscode.commands.executeCommand(focusViewCommand(Views.account));
        break;
      case 'signIn':
      case 'retrySignIn': {
        const target = flow.lastTarget;
        if (flow.agent !== undefined && target !== undefined && !('method' in target)) {
          await vscode.commands.executeCommand(
            Commands.signIn,
            target.profile !== null
              ? { agent: flow.agent, provider: target.provider, profile: target.profile }
              : { agent: flow.agent, profile: null, device: target.device },
          );
        } else if (flow.agent !== undefined) {
          await vscode.commands.executeCommand(Commands.signIn, { agent: flow.agent });
        } else {
          await vscode.commands.executeCommand(Commands.signIn, action === 'retrySignIn' ? this.lastMethod : undefined);
        }
        break;
      }
      case 'installCli':
        await vscode.env.openExternal(vscode.Uri.parse(INSTALL_URL));
        break;
      case 'openClaudePathSetting':
        await openMachineSetting(Settings.claudePath);
        break;
      case 'showLogs':
      case 'showOutput':
        this.output.show(true);
        break;
    }
  }

  /** One line in the Grove output channel. Never a code or a token: callers pass scrubbed text. */
  private log(line: string): void {
    this.output.appendLine(`[grove ${new Date().toLocaleTimeString()}] sign-in: ${scrub(line)}`);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
