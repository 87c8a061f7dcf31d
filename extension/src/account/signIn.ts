// Signing in from the editor, without vscode: one `claude auth login` run (progress, link, outcome), credential checks, sidecar errors in words for people, the auth-failure alert rule and the sign-out command line.
import { sidecarError } from '../common/errors';
import { isRecord } from '../common/json';
import {
  ErrorCodes,
  type AuthFailure,
  type AuthLoginCancelParams,
  type AuthLoginInputParams,
  type AuthLoginParams,
  type AuthLoginResult,
  type AuthStatus,
  type AuthValidateResult,
  type LoginComplete,
  type LoginMethod,
  type LoginProgress,
  type OutputStream,
} from '../common/protocol';

// ---------------------------------------------------------------------------------------------
// Methods

export interface MethodChoice {
  method: LoginMethod;
  label: string;
  detail: string;
}

/** The ways to sign in, in the order the picker offers them (the first is the CLI's default). */
export const METHOD_CHOICES: readonly MethodChoice[] = [
  { method: 'claudeai', label: 'Claude subscription', detail: 'Pro, Max, Team or Enterprise plan (claude.ai)' },
  { method: 'console', label: 'Anthropic Console', detail: 'API usage billing (console.anthropic.com)' },
  { method: 'sso', label: 'SSO', detail: "Your organization's single sign-on" },
];

export function isLoginMethod(value: unknown): value is LoginMethod {
  return METHOD_CHOICES.some((c) => c.method === value);
}

export function methodLabel(method: LoginMethod): string {
  return METHOD_CHOICES.find((c) => c.method === method)?.label ?? method;
}

// ---------------------------------------------------------------------------------------------
// Targets: what a sign-in signs in

/** How an agent's sign-ins are named, from the registry: its id, its label and what its own sign-in signs in to (its provider's label without the agent in brackets). */
export interface AgentWords {
  agent: string;
  label: string;
  service: string;
}

/**
 * What a sign-in signs in: the default agent's own sign-in with a method (`claude auth login`),
 * Grove's own sign-in for an agent into the profile `<provider>:<profile>`, or an agent CLI's own
 * sign-in (in the browser, or with a device code).
 */
export type SignInTarget = { method: LoginMethod } | (AgentWords & { provider: string; profile: string }) | (AgentWords & { profile: null; device: boolean });

/** An agent CLI's own sign-in (not the default agent's, not Grove's into a profile). */
export function isCliTarget(target: SignInTarget | undefined): target is AgentWords & { profile: null; device: boolean } {
  return target !== undefined && 'profile' in target && target.profile === null;
}

/**
 * `grove/auth/login`'s params for a target: the default agent's sign-in sends only its method (as
 * before), Grove's own sign-in the provider and profile, an agent CLI's own sign-in the agent (and
 * "device" for a device code).
 */
export function loginParams(target: SignInTarget): AuthLoginParams {
  if ('method' in target) return { method: target.method };
  if (target.profile !== null) return { provider: target.provider, profile: target.profile };
  return target.device ? { agent: target.agent, method: 'device' } : { agent: target.agent };
}

// ---------------------------------------------------------------------------------------------
// Secrets

/** What a pasted code looks like once the sidecar has cleaned it: no surrounding quotes, no whitespace. */
export function cleanCode(code: string): string {
  let c = code.trim();
  for (;;) {
    const quote = ['"', "'", '`'].find((q) => c.length >= 2 && c.startsWith(q) && c.endsWith(q));
    if (quote === undefined) break;
    c = c.slice(1, -1).trim();
  }
  return c.replace(/\s+/g, '');
}

const TOKEN_LIKE = /\bsk-ant-[A-Za-z0-9]+-[A-Za-z0-9_-]+/g;

/**
 * Text safe to show or log: token-shaped strings are masked, and so is every pasted code (and each
 * `#`-separated part of it of 4 characters or more) in `secrets`.
 */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(TOKEN_LIKE, (token) => `${token.split('-').slice(0, 3).join('-')}-…`);
  const parts = secrets.flatMap((s) => [s, ...s.split('#')]).filter((p) => p.length >= 4);
  // Longest first, so that a whole code is masked before its parts.
  for (const part of [...new Set(parts)].sort((a, b) => b.length - a.length)) out = out.split(part).join('•••');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Problems: sidecar errors in words that say what to do

/** Something a message about a problem may offer to do. */
export type ProblemAction = 'showSignIn' | 'signIn' | 'retrySignIn' | 'installCli' | 'openClaudePathSetting' | 'showLogs' | 'showOutput';

export interface Problem {
  message: string;
  actions: ProblemAction[];
  /** Warnings for things the user can fix by trying again; errors for the rest. */
  severity: 'info' | 'warning' | 'error';
}

export type Operation = 'login' | 'input' | 'cancel' | 'validate';

const DOING: Record<Operation, string> = {
  login: 'start the sign-in',
  input: 'send the code',
  cancel: 'cancel the sign-in',
  validate: 'check the credentials',
};

/** The `data.loginId` of a LoginInProgress or UnknownLogin error. */
export function errorLoginId(error: unknown): string | undefined {
  const { data } = sidecarError(error);
  return isRecord(data) && typeof data.loginId === 'string' ? data.loginId : undefined;
}

/** What to tell people when a sign-in request fails. */
export function describeError(error: unknown, operation: Operation): Problem {
  const info = sidecarError(error);
  switch (info.code) {
    case ErrorCodes.CliNotFound:
      return {
        message: `Grove could not find the Claude CLI, so it cannot ${DOING[operation]}. Install Claude Code, or set grove.claudePath to the claude executable.`,
        actions: ['installCli', 'openClaudePathSetting'],
        severity: 'error',
      };
    case ErrorCodes.LoginInProgress:
      return {
        message: 'A sign-in is already running. Finish it (open the link, paste the code) or cancel it in the Account view.',
        actions: ['showSignIn'],
        severity: 'info',
      };
    case ErrorCodes.UnknownLogin:
      return {
        message: 'That sign-in has already ended (it finished, failed or was cancelled). Press Sign in to start a new one.',
        actions: ['signIn'],
        severity: 'warning',
      };
    default:
      return {
        message: `Grove could not ${DOING[operation]}: ${scrub(info.message)}`,
        actions: ['showLogs'],
        severity: 'error',
      };
  }
}

// ---------------------------------------------------------------------------------------------
// The sign-in state

export interface ProgressLine {
  stream: OutputStream;
  line: string;
  url: string | null;
}

/** The most lines of one sign-in the view keeps (the first ones hold the link, and are kept). */
export const MAX_LINES = 40;

export interface LoginOutcome {
  success: boolean;
  /** `"cancelled"`, the CLI's last line, or why Grove stopped waiting. */
  error: string | null;
}

export type SignInState =
  /** No sign-in runs; `last` is how the latest one (of this window) ended. */
  | { kind: 'idle'; last: LoginOutcome | null }
  /** `grove/auth/login` was sent; its id is not known yet. */
  | { kind: 'starting'; method: LoginMethod | null; cancelRequested: boolean; target?: SignInTarget }
  | {
      kind: 'running';
      loginId: string;
      /** Null when the sign-in was started before this window knew of it. */
      method: LoginMethod | null;
      lines: ProgressLine[];
      /** The first link the CLI printed: the page to approve the sign-in on. */
      url: string | null;
      codeSent: boolean;
      cancelling: boolean;
      /** What it signs in; unknown for a sign-in this window adopted. */
      target?: SignInTarget;
      /** A one-time code the CLI printed for the user to type on the page (an agent CLI's device-code sign-in). */
      userCode?: string;
    };

export type ValidationState = { kind: 'none' } | { kind: 'running' } | { kind: 'done'; ok: boolean; message: string | null; at: string };

/** What the status bar and the Account view need to know of sign-ins. */
export interface SignInView {
  signIn: SignInState;
  validation: ValidationState;
}

export const NO_SIGN_IN: SignInView = { signIn: { kind: 'idle', last: null }, validation: { kind: 'none' } };

/** The sidecar requests a sign-in makes. */
export interface SignInRequests {
  login(params: AuthLoginParams): Promise<AuthLoginResult>;
  input(params: AuthLoginInputParams): Promise<unknown>;
  cancel(params: AuthLoginCancelParams): Promise<unknown>;
  validate(): Promise<AuthValidateResult>;
}

export type StartResult =
  | { kind: 'started'; loginId: string }
  /** Nothing was sent: a sign-in of this window is already under way. */
  | { kind: 'busy' }
  /** The sidecar runs another sign-in (LoginInProgress); it is now the one shown. */
  | { kind: 'adopted'; loginId: string; problem: Problem }
  | { kind: 'failed'; problem: Problem };

type Buffered = { kind: 'progress'; params: LoginProgress } | { kind: 'complete'; params: LoginComplete };

export interface SignInOptions {
  /** The login ids this controller follows (default: all); notifications of others are ignored. */
  accepts?: (loginId: string) => boolean;
  /** A failed request in words (default: `describeError`, which speaks of the Claude CLI). */
  describe?: (error: unknown, operation: Operation) => Problem;
}

/**
 * The sign-in of this window: starts it, follows its progress and outcome, sends the pasted code,
 * cancels it, and checks the credentials. Notifications may overtake the answer to
 * `grove/auth/login`: while it is pending they are kept, and replayed for the id it answers.
 */
export class SignInController {
  private current: SignInView = NO_SIGN_IN;
  /** Which login ids are this controller's (the sidecar runs several agents' sign-ins side by side). */
  private readonly accepts: (loginId: string) => boolean;
  private readonly describe: (error: unknown, operation: Operation) => Problem;
  private readonly listeners = new Set<(view: SignInView) => void>();
  private readonly completions = new Set<(loginId: string, outcome: LoginOutcome) => void>();
  private pending: Buffered[] = [];
  /** The codes pasted into the running sign-in, masked in everything it shows. */
  private secrets: string[] = [];

  constructor(
    private readonly requests: SignInRequests,
    private readonly now: () => Date = () => new Date(),
    options: SignInOptions = {},
  ) {
    this.accepts = options.accepts ?? (() => true);
    this.describe = options.describe ?? describeError;
  }

  get view(): SignInView {
    return this.current;
  }

  get state(): SignInState {
    return this.current.signIn;
  }

  /** True from the request until the outcome. */
  get busy(): boolean {
    return this.current.signIn.kind !== 'idle';
  }

  onDidChange(listener: (view: SignInView) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Tells how each sign-in of this window ended (also one whose outcome overtook its id). */
  onDidComplete(listener: (loginId: string, outcome: LoginOutcome) => void): { dispose(): void } {
    this.completions.add(listener);
    return { dispose: () => this.completions.delete(listener) };
  }

  /** `grove/auth/login` for the claude CLI. */
  async start(method: LoginMethod): Promise<StartResult> {
    return this.startTarget({ method });
  }

  /** `grove/auth/login` for any target. */
  async startTarget(target: SignInTarget): Promise<StartResult> {
    if (this.busy) return { kind: 'busy' };
    this.pending = [];
    this.secrets = [];
    const method = 'method' in target ? target.method : null;
    this.setSignIn({ kind: 'starting', method, cancelRequested: false, target });
    let loginId: string;
    try {
      ({ loginId } = await this.requests.login(loginParams(target)));
    } catch (error) {
      const running = sidecarError(error).code === ErrorCodes.LoginInProgress ? errorLoginId(error) : undefined;
      if (running !== undefined) {
        this.run(running, null, undefined);
        return { kind: 'adopted', loginId: running, problem: this.describe(error, 'login') };
      }
      this.pending = [];
      this.setSignIn({ kind: 'idle', last: null });
      return { kind: 'failed', problem: this.describe(error, 'login') };
    }
    const state = this.state;
    const cancelRequested = state.kind === 'starting' && state.cancelRequested;
    // reset() may have ended the wait (the sidecar went away).
    if (state.kind !== 'starting') return { kind: 'started', loginId };
    this.run(loginId, method, target);
    if (cancelRequested) await this.cancel();
    return { kind: 'started', loginId };
  }

  private run(loginId: string, method: LoginMethod | null, target: SignInTarget | undefined): void {
    this.setSignIn({ kind: 'running', loginId, method, lines: [], url: null, codeSent: false, cancelling: false, ...(target !== undefined && { target }) });
    const replay = this.pending.filter((b) => b.params.loginId === loginId);
    this.pending = [];
    for (const b of replay) {
      if (b.kind === 'progress') this.progress(b.params);
      else this.complete(b.params);
    }
  }

  /** `grove/auth/loginProgress`. */
  progress(params: LoginProgress): void {
    if (!this.accepts(params.loginId)) return;
    const state = this.state;
    if (state.kind === 'starting') {
      this.pending.push({ kind: 'progress', params });
      return;
    }
    if (state.kind !== 'running' || state.loginId !== params.loginId) return;
    const line: ProgressLine = { stream: params.stream, line: scrub(params.line, this.secrets), url: params.url };
    // Keep the first lines (the link) and the latest ones.
    const lines = state.lines.length < MAX_LINES ? [...state.lines, line] : [...state.lines.slice(0, 2), ...state.lines.slice(3), line];
    const url = state.url ?? (params.url !== null && isSignInPage(params.url) ? params.url : null);
    const code = state.userCode ?? (isCliTarget(state.target) ? userCodeOf(params.line) : undefined);
    this.setSignIn({ ...state, lines, url, ...(code !== undefined && { userCode: code }) });
  }

  /** `grove/auth/loginComplete`: the outcome, when it is the one of this window's sign-in. */
  complete(params: LoginComplete): LoginOutcome | undefined {
    if (!this.accepts(params.loginId)) return undefined;
    const state = this.state;
    if (state.kind === 'starting') {
      this.pending.push({ kind: 'complete', params });
      return undefined;
    }
    if (state.kind !== 'running' || state.loginId !== params.loginId) return undefined;
    const outcome: LoginOutcome = {
      success: params.success,
      error: params.success ? null : scrub(params.error ?? 'The sign-in failed.', this.secrets),
    };
    this.secrets = [];
    // A new sign-in makes an earlier credentials check old news.
    this.set({ signIn: { kind: 'idle', last: outcome }, validation: params.success ? { kind: 'none' } : this.current.validation });
    for (const listener of this.completions) listener(params.loginId, outcome);
    return outcome;
  }

  /** `grove/auth/loginInput`; a problem to show, or undefined once the code is on its way. */
  async submitCode(code: string): Promise<Problem | undefined> {
    const state = this.state;
    if (state.kind !== 'running') {
      return { message: 'No sign-in is running. Press Sign in first, then paste the code it asks for.', actions: ['signIn'], severity: 'info' };
    }
    const cleaned = cleanCode(code);
    if (cleaned === '') return { message: 'The code is empty: paste the code the sign-in page shows.', actions: [], severity: 'warning' };
    this.secrets.push(...pastedSecrets(cleaned));
    try {
      await this.requests.input({ loginId: state.loginId, code: cleaned });
    } catch (error) {
      if (sidecarError(error).code === ErrorCodes.UnknownLogin) this.endUnknown(state.loginId);
      return this.describe(error, 'input');
    }
    const after = this.state;
    if (after.kind === 'running' && after.loginId === state.loginId) this.setSignIn({ ...after, codeSent: true });
    return undefined;
  }

  /** `grove/auth/loginCancel`; the outcome follows as `loginComplete` ("cancelled"). */
  async cancel(): Promise<Problem | undefined> {
    const state = this.state;
    if (state.kind === 'starting') {
      this.setSignIn({ ...state, cancelRequested: true });
      return undefined;
    }
    if (state.kind !== 'running') return undefined;
    this.setSignIn({ ...state, cancelling: true });
    try {
      await this.requests.cancel({ loginId: state.loginId });
    } catch (error) {
      // Already over: nothing is left to cancel.
      if (sidecarError(error).code === ErrorCodes.UnknownLogin) {
        this.endUnknown(state.loginId, 'cancelled');
        return undefined;
      }
      const after = this.state;
      if (after.kind === 'running' && after.loginId === state.loginId) this.setSignIn({ ...after, cancelling: false });
      return this.describe(error, 'cancel');
    }
    return undefined;
  }

  /** The sidecar knows no such sign-in: it ended without this window hearing how. */
  private endUnknown(loginId: string, error = 'The sign-in ended.'): void {
    const state = this.state;
    if (state.kind === 'running' && state.loginId === loginId) {
      this.secrets = [];
      this.setSignIn({ kind: 'idle', last: { success: false, error } });
    }
  }

  /** The sidecar stopped or restarted: a sign-in it ran is gone. */
  reset(reason: string): void {
    if (!this.busy) return;
    this.pending = [];
    this.secrets = [];
    this.setSignIn({ kind: 'idle', last: { success: false, error: reason } });
  }

  /** A status was seen: once signed in, an earlier failed sign-in is no longer news. */
  statusSeen(status: AuthStatus): void {
    const state = this.state;
    if (status.loggedIn && state.kind === 'idle' && state.last && !state.last.success) {
      this.setSignIn({ kind: 'idle', last: null });
    }
  }

  /** `grove/auth/validate`; a problem to show when the check itself could not run. */
  async validate(): Promise<Problem | undefined> {
    if (this.current.validation.kind === 'running') return undefined;
    this.setValidation({ kind: 'running' });
    try {
      const result = await this.requests.validate();
      const message = result.message === null ? null : scrub(result.message);
      this.setValidation({ kind: 'done', ok: result.ok, message, at: this.now().toISOString() });
      return undefined;
    } catch (error) {
      const problem = this.describe(error, 'validate');
      this.setValidation({ kind: 'done', ok: false, message: scrub(sidecarError(error).message), at: this.now().toISOString() });
      return problem;
    }
  }

  private setSignIn(signIn: SignInState): void {
    this.set({ ...this.current, signIn });
  }

  private setValidation(validation: ValidationState): void {
    this.set({ ...this.current, validation });
  }

  private set(view: SignInView): void {
    this.current = view;
    for (const listener of this.listeners) listener(view);
  }
}

/** Only web pages are opened in the browser. */
export function isWebLink(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url);
}

/**
 * The sign-in page among the links a sign-in prints: a web link with a path. A bare server address
 * ("Starting local login server on http://localhost:1455.") is not a page to open.
 */
export function isSignInPage(url: string): boolean {
  if (!isWebLink(url)) return false;
  try {
    const parsed = new URL(url.replace(/[.,;:]+$/, ''));
    return parsed.pathname !== '/' && parsed.pathname !== '';
  } catch {
    return false;
  }
}

/** A link on the machine it was printed on (localhost, 127.0.0.1, [::1]): a remote editor forwards its port first. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** The one-time code an agent CLI's device-code sign-in prints for the user to type on the page ("ABCD-1234"). */
export function userCodeOf(line: string): string | undefined {
  const trimmed = line.trim();
  return /^[A-Z0-9]{4,8}-[A-Z0-9]{4,8}$/.test(trimmed) ? trimmed : undefined;
}

/**
 * What to mask of a paste: the paste itself and, for the address the browser of Grove's own
 * sign-in ended on, its `code` (which the sidecar might quote on its own).
 */
export function pastedSecrets(cleaned: string): string[] {
  const secrets = [cleaned];
  const query = cleaned.includes('?') ? cleaned.slice(cleaned.indexOf('?') + 1) : cleaned.includes('code=') ? cleaned : '';
  if (query !== '') {
    const code = new URLSearchParams(query.split('#')[0]).get('code');
    if (code !== null && code !== '') secrets.push(code);
  }
  return secrets;
}

// ---------------------------------------------------------------------------------------------
// Auth-failure alerts

/**
 * Decides when "Claude needs you to sign in again" is shown: once per failure (a `lastFailure`
 * with an `at` not seen before) while signed in (the credentials were refused; signed out, the
 * status bar already says "Sign in"), never while the previous alert is still open, and not for a
 * failed sign-in (it has its own notification).
 */
export class FailureAlerts {
  private lastAt: string | null = null;
  private open = false;

  /** The failure to alert about for this status, if any; the caller calls `closed()` when the alert goes. */
  check(status: AuthStatus): AuthFailure | undefined {
    const failure = status.lastFailure;
    if (failure === null || failure.at === this.lastAt) return undefined;
    this.lastAt = failure.at;
    if (failure.source === 'login' || !status.loggedIn || this.open) return undefined;
    this.open = true;
    return failure;
  }

  closed(): void {
    this.open = false;
  }
}

const SOURCE_WORDS: Record<AuthFailure['source'], string> = {
  agent: 'an agent run',
  validate: 'the credentials check',
  usage: 'the usage check',
  login: 'the sign-in',
};

const SOURCE_LABELS: Record<AuthFailure['source'], string> = {
  agent: 'Agent run',
  validate: 'Credentials check',
  usage: 'Usage check',
  login: 'Sign-in',
};

export function failureSourceName(source: AuthFailure['source']): string {
  return SOURCE_WORDS[source];
}

/** The source as a short label ("Agent run"). */
export function failureSourceLabel(source: AuthFailure['source']): string {
  return SOURCE_LABELS[source];
}

/**
 * True when Claude refused credentials it had: a failure recorded while the CLI says it is signed
 * in (expired, revoked). Someone who is not signed in is asked to sign in, never "again".
 */
export function needsSignInAgain(status: AuthStatus): boolean {
  return status.loggedIn && status.lastFailure !== null;
}

/** Why a sign-in failed, in plain words, and whether it is worth a notification. */
export interface LoginFailure {
  /** One sentence for people. */
  sentence: string;
  /** The user cancelled it: no notification. */
  cancelled: boolean;
}

const NETWORK_FAILURES: readonly { pattern: RegExp; sentence: string }[] = [
  {
    pattern: /\b(ENOTFOUND|EAI_AGAIN|getaddrinfo)\b/i,
    sentence: 'The sign-in could not reach Claude: this computer seems to be offline, or its DNS does not answer.',
  },
  {
    pattern: /proxy|\b407\b|tunneling socket/i,
    sentence: 'The sign-in could not get through the proxy. Check the proxy settings (HTTPS_PROXY) of the machine Grove runs on.',
  },
  {
    pattern: /\bECONNREFUSED\b/i,
    sentence: 'The sign-in could not connect to Claude: the connection was refused (a firewall or a proxy may be in the way).',
  },
  {
    pattern: /\b(ETIMEDOUT|ESOCKETTIMEDOUT|ECONNRESET|timed? ?out)\b/i,
    sentence: 'The sign-in timed out talking to Claude. Check the network connection, then retry.',
  },
  {
    pattern: /certificate|\bCERT_|UNABLE_TO_VERIFY|self[- ]signed/i,
    sentence: "The sign-in could not verify Claude's certificate (a proxy that inspects HTTPS may be in the way; NODE_EXTRA_CA_CERTS can name its CA).",
  },
  {
    pattern: /invalid code|invalid_grant|code.*(expired|invalid)/i,
    sentence: 'Claude did not accept the code. Copy the whole code from the sign-in page again and paste it (a code works once, for a few minutes).',
  },
];

/**
 * A finished sign-in's error (`"cancelled"`, or the CLI's last line) as a plain sentence; `service`
 * is what it signed in to (an agent's service, from the registry).
 */
export function plainLoginError(error: string | null, service = 'Claude'): LoginFailure {
  if (error === 'cancelled') return { sentence: 'Sign-in cancelled.', cancelled: true };
  const text = error ?? '';
  for (const { pattern, sentence } of NETWORK_FAILURES) {
    if (pattern.test(text)) return { sentence: sentence.replace(/Claude/g, service), cancelled: false };
  }
  return { sentence: text.trim() === '' ? 'The sign-in failed.' : `The sign-in failed: ${text.trim()}`, cancelled: false };
}

/** How a finished sign-in is shown next to "Not signed in"; undefined for a success. */
export function outcomeText(outcome: LoginOutcome | null, service?: string): string | undefined {
  if (!outcome || outcome.success) return undefined;
  return plainLoginError(outcome.error, service).sentence;
}

export const SIGN_IN_AGAIN = 'Claude needs you to sign in again';

/** The alert's text: the fixed sentence, then what failed and how. */
export function failureAlertMessage(failure: AuthFailure): string {
  return `${SIGN_IN_AGAIN}. ${capitalize(failureSourceName(failure.source))} was refused: ${scrub(failure.message)}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Sign-out

/** Quotes a word for a POSIX shell (also right for zsh and fish): always, in single quotes. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The terminal line that signs the CLI out; the CLI owns the credentials. */
export function signOutCommandLine(cliPath: string): string {
  return `${shellQuote(cliPath)} auth logout`;
}

/** A sentence to add to the sign-out confirmation when logging out cannot remove the credential in use. */
export function signOutCaveat(status: AuthStatus): string | undefined {
  if (status.authMethod === 'api_key') {
    return 'Claude uses an API key (ANTHROPIC_API_KEY or a key helper); signing out does not remove it.';
  }
  if (status.authMethod === 'oauth_token') {
    return 'Claude uses a token from the environment (CLAUDE_CODE_OAUTH_TOKEN); signing out does not remove it.';
  }
  return undefined;
}
