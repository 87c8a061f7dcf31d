// The Account feature in the editor: the status bar, the Account view, the sign-in commands (Sign In/Out, paste code, cancel, open the link, check) and the "sign in again" alert, wired to the sidecar.
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
  type LoginMethod,
} from '../common/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import {
  failureAlertMessage,
  FailureAlerts,
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
} from './signIn';
import { StatusBar } from './accountStatusBar';
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

export class Account implements vscode.Disposable {
  readonly signIn: SignInController;
  private readonly alerts = new FailureAlerts();
  private readonly view: AccountView;
  private readonly disposables: { dispose(): unknown }[] = [];
  private signingIn = false;
  private authState: AuthContext | undefined;
  /** The method of the latest sign-in of this window (Retry uses it). */
  private lastMethod: LoginMethod | undefined;
  /** The sign-in the guide notification was shown for. */
  private guided: string | undefined;

  constructor(
    sidecar: Sidecar,
    private readonly store: AuthStore,
    private readonly auth: AuthController,
    private readonly output: vscode.OutputChannel,
    /** The last usage answer, for the status bar's tooltip. */
    usage?: UsageFeed,
    /** The auth profiles, listed in the Account view and named in the status bar's tooltip. */
    profiles?: ProfileStore,
  ) {
    this.signIn = new SignInController({
      login: (params) => sidecar.sendRequest(AuthLoginRequest, params),
      input: (params) => sidecar.sendRequest(AuthLoginInputRequest, params),
      cancel: (params) => sidecar.sendRequest(AuthLoginCancelRequest, params),
      validate: () => sidecar.sendRequest(AuthValidateRequest, {}),
    });
    sidecar.onNotification(AuthLoginProgress, (params) => {
      this.signIn.progress(params);
      // The CLI's own words go to the output channel ("Show output"), masked like the view's.
      const state = this.signIn.state;
      const line = state.kind === 'running' ? (state.lines.at(-1)?.line ?? '') : scrub(params.line);
      if (state.kind !== 'running' || state.loginId === params.loginId) this.log(`claude auth login${params.stream === 'stderr' ? ' (stderr)' : ''}: ${line}`);
      this.guide();
    });
    sidecar.onNotification(AuthLoginComplete, (params) => {
      this.signIn.complete(params);
    });
    this.view = new AccountView(store, this.signIn, profiles);
    const sidecarGone = "Grove's sidecar stopped, and the sign-in with it.";
    this.disposables.push(
      this.view,
      new StatusBar(store, this.signIn, usage, profiles),
      // A sign-in runs inside the sidecar: a restarted sidecar has none.
      sidecar.onDidBecomeUnavailable(() => {
        this.signIn.reset(sidecarGone);
      }),
      sidecar.onDidStart(() => {
        this.signIn.reset(sidecarGone);
      }),
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
        this.completed(loginId, outcome);
      }),
      vscode.commands.registerCommand(Commands.signIn, (method?: unknown) => this.startSignIn(method)),
      vscode.commands.registerCommand(Commands.pasteSignInCode, () => this.pasteCode()),
      vscode.commands.registerCommand(Commands.cancelSignIn, () => this.cancel()),
      vscode.commands.registerCommand(Commands.openSignInPage, () => this.openPage()),
      vscode.commands.registerCommand(Commands.copySignInLink, () => this.copyLink()),
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

  private async pickMethod(): Promise<LoginMethod | undefined> {
    const picked = await vscode.window.showQuickPick(
      METHOD_CHOICES.map((c) => ({ label: c.label, detail: c.detail, method: c.method })),
      { title: 'Sign in to Claude', placeHolder: 'Which account do you sign in with?' },
    );
    return picked?.method;
  }

  /** "Paste code": a password box (never shown, never logged); the code goes to the CLI's stdin. */
  private async pasteCode(): Promise<void> {
    if (this.signIn.state.kind !== 'running') {
      this.showProblem({ message: 'No sign-in is running. Press Sign in first, then paste the code it asks for.', actions: ['signIn'], severity: 'info' });
      return;
    }
    const code = await vscode.window.showInputBox({
      title: 'Paste the sign-in code',
      prompt: 'After you approve the sign-in in the browser, the page shows a code: paste it here. It goes to the Claude CLI only.',
      placeHolder: 'Code from the sign-in page',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? 'Paste the code the sign-in page shows.' : undefined),
    });
    if (code === undefined) return;
    const problem = await this.signIn.submitCode(code);
    if (problem) {
      this.log(`the code was not sent: ${problem.message}`);
      this.showProblem(problem);
    } else {
      this.log('the pasted code was sent to the CLI');
    }
  }

  private async cancel(): Promise<void> {
    if (!this.signIn.busy) return;
    this.log('cancelling the sign-in');
    const problem = await this.signIn.cancel();
    if (problem) this.showProblem(problem);
  }

  private currentLink(): string | undefined {
    const state = this.signIn.state;
    if (state.kind === 'running' && state.url !== null) return state.url;
    this.showProblem({
      message: this.signIn.busy
        ? "The sign-in page's link has not arrived yet; it appears in the Account view."
        : 'No sign-in is running. Press Sign in first.',
      actions: this.signIn.busy ? ['showSignIn'] : ['signIn'],
      severity: 'info',
    });
    return undefined;
  }

  /** "Open in browser": on the machine of the editor's window (the CLI's own attempt opens it where the sidecar runs). */
  private async openPage(): Promise<void> {
    const url = this.currentLink();
    if (url === undefined) return;
    // The link as the CLI printed it, byte for byte: a Uri would re-encode its query (the OAuth
    // redirect_uri's %3A%2F%2F comes out decoded; microsoft/vscode#85930). openExternal keeps a
    // string as it is (microsoft/vscode#173239), though its type only admits a Uri.
    const opened = await vscode.env.openExternal(url as unknown as vscode.Uri);
    this.log(opened ? 'opened the sign-in page in the browser' : 'the browser did not open the sign-in page');
  }

  private async copyLink(): Promise<void> {
    const url = this.currentLink();
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
  private guide(): void {
    const state = this.signIn.state;
    if (state.kind !== 'running' || state.url === null || state.codeSent || state.cancelling || this.guided === state.loginId) return;
    this.guided = state.loginId;
    void this.showGuide(state.loginId);
  }

  private async showGuide(loginId: string): Promise<void> {
    const choice = await vscode.window.showInformationMessage(
      'Sign in to Claude: open the sign-in page, approve the sign-in, then paste the code the page shows.',
      OPEN_BROWSER,
      COPY_LINK,
      PASTE_CODE,
    );
    const state = this.signIn.state;
    if (state.kind !== 'running' || state.loginId !== loginId) return;
    if (choice === OPEN_BROWSER) await this.openPage();
    else if (choice === COPY_LINK) await this.copyLink();
    else if (choice === PASTE_CODE) {
      await this.pasteCode();
      return;
    } else return;
    // The code comes next.
    const after = this.signIn.state;
    if (after.kind === 'running' && after.loginId === loginId && !after.codeSent) void this.showGuide(loginId);
  }

  private completed(loginId: string, outcome: LoginOutcome): void {
    if (outcome.success) {
      this.log(`sign-in ${loginId} succeeded`);
      vscode.window.setStatusBarMessage('$(check) Signed in to Claude', 5000);
      return;
    }
    const failure = plainLoginError(outcome.error);
    if (failure.cancelled) {
      this.log(`sign-in ${loginId} was cancelled`);
      return;
    }
    this.log(`sign-in ${loginId} failed: ${outcome.error ?? ''}`);
    this.showProblem({ message: failure.sentence, actions: ['retrySignIn', 'showOutput'], severity: 'warning' });
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
    const busy = this.signIn.busy;
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

  private showProblem(problem: Problem): void {
    const labels = problem.actions.map((a) => ACTION_LABELS[a]);
    const shown =
      problem.severity === 'error'
        ? vscode.window.showErrorMessage(problem.message, ...labels)
        : problem.severity === 'warning'
          ? vscode.window.showWarningMessage(problem.message, ...labels)
          : vscode.window.showInformationMessage(problem.message, ...labels);
    void shown.then((label) => {
      const action = problem.actions.find((a) => ACTION_LABELS[a] === label);
      if (action) void this.run(action);
    });
  }

  private async run(action: ProblemAction): Promise<void> {
    switch (action) {
      case 'showSignIn':
        await vscode.commands.executeCommand(focusViewCommand(Views.account));
        break;
      case 'signIn':
        await vscode.commands.executeCommand(Commands.signIn);
        break;
      case 'retrySignIn':
        await vscode.commands.executeCommand(Commands.signIn, this.lastMethod);
        break;
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
