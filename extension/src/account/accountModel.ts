// What the status-bar item and the Account view show for a sign-in state and a sign-in under way: texts, tooltips and rows, computed without vscode.
import { Commands, ContextValues, Settings } from '../common/commands';
import type { AuthState } from './accountState';
import type { AgentCli, AuthStatus, ProfilesList, UsageResult } from '../common/protocol';
import {
  failureSourceLabel,
  methodLabel,
  needsSignInAgain,
  NO_SIGN_IN,
  outcomeText,
  type AgentWords,
  type SignInState,
  type SignInView,
  type ValidationState,
} from './signIn';
import { agentStateLabel, agentStateTooltip, signInSubject, takesPaste } from './agentSignIn';
import { sessionLine } from '../usage/usageModel';
import { activeProfileLine } from '../profiles/profilesModel';

export const INSTALL_URL = 'https://docs.anthropic.com/en/docs/claude-code/setup';

/** Formats an RFC 3339 time for people. */
export type TimeFormatter = (rfc3339: string) => string;

export const localTime: TimeFormatter = (rfc3339) => {
  const date = new Date(rfc3339);
  return Number.isNaN(date.getTime()) ? rfc3339 : date.toLocaleString();
};

/** "just now", "1 min ago", "12 min ago", "3 h ago", "2 days ago"; a time that is not one is shown as it is. */
export function relativeTime(rfc3339: string, now: Date = new Date()): string {
  const at = Date.parse(rfc3339);
  if (Number.isNaN(at)) return rfc3339;
  const seconds = Math.round((now.getTime() - at) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** The relative time, now. */
export const agoTime: TimeFormatter = (rfc3339) => relativeTime(rfc3339);

/** Signed in with a Claude subscription (plan known, or a claude.ai sign-in): agent costs are API equivalents. */
export function isSubscription(status: AuthStatus): boolean {
  return status.loggedIn && (status.subscriptionType !== null || status.authMethod === 'claude.ai');
}

/** The values of the `grove.authState` context key (`when` clauses: welcome views, palette). */
export const AUTH_CONTEXTS = ['checking', 'signedIn', 'signInAgain', 'notSignedIn', 'signedOut', 'signingIn', 'cliMissing', 'error'] as const;
export type AuthContext = (typeof AUTH_CONTEXTS)[number];

export function authContext(state: AuthState, signIn: SignInView = NO_SIGN_IN): AuthContext {
  if (signIn.signIn.kind !== 'idle') return 'signingIn';
  switch (state.kind) {
    case 'checking':
    case 'cliMissing':
    case 'error':
      return state.kind;
    case 'status':
      if (needsSignInAgain(state.status)) return 'signInAgain';
      if (state.status.loggedIn) return 'signedIn';
      return state.signedOut === true ? 'signedOut' : 'notSignedIn';
  }
}

export interface StatusBarView {
  text: string;
  /** Markdown. */
  tooltip: string;
  /** Shown with the warning background (signed out, or asked to sign in again). */
  warning: boolean;
  /** Commands the tooltip's links may run (the markdown is trusted for these only). */
  trustedCommands: string[];
}

const PLANS: Record<string, string> = { max: 'Max', pro: 'Pro', team: 'Team', enterprise: 'Enterprise' };

/** "max" → "Max"; an unknown plan keeps its name, first letter capitalized. */
export function planName(subscriptionType: string): string {
  return PLANS[subscriptionType] ?? subscriptionType.charAt(0).toUpperCase() + subscriptionType.slice(1);
}

/** The sign-in method as a person would say it. */
export function methodName(authMethod: string): string {
  switch (authMethod) {
    case 'claude.ai':
      return 'Claude account (claude.ai)';
    case 'api_key':
      return 'API key';
    case 'oauth_token':
      return 'OAuth token';
    case 'none':
      return 'Not signed in';
    default:
      return authMethod;
  }
}

/** What follows "Claude: " for a signed-in status: the plan, else the kind of credential. */
export function signedInLabel(status: AuthStatus): string {
  if (status.subscriptionType) return planName(status.subscriptionType);
  if (status.authMethod === 'api_key') return 'API key';
  if (status.authMethod === 'oauth_token') return 'Token';
  return 'Signed in';
}

/** Email and organisation, whichever are known, or undefined. */
export function accountName(status: AuthStatus): string | undefined {
  const parts = [status.email, status.orgName].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

export function cliDescription(status: AuthStatus): string {
  return status.cli.version ? `${status.cli.path} (${status.cli.version})` : status.cli.path;
}

/** Escapes text for use inside a markdown line that starts with Grove's own words. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>~|#]/g, (c) => `\\${c}`);
}

function settingsLink(): string {
  return `[\`${Settings.claudePath}\`](command:${Commands.setClaudePath})`;
}

function statusTooltip(status: AuthStatus, signedOut: boolean, formatTime: TimeFormatter): string {
  const lines = [
    `**Claude: ${status.loggedIn ? 'signed in' : signedOut ? 'signed out' : 'not signed in'}**`,
    '',
    `Sign-in method: ${escapeMarkdown(methodName(status.authMethod))}`,
  ];
  if (status.subscriptionType) lines.push(`Plan: ${escapeMarkdown(planName(status.subscriptionType))}`);
  const account = accountName(status);
  if (account) lines.push(`Account: ${escapeMarkdown(account)}`);
  lines.push(`CLI: ${escapeMarkdown(cliDescription(status))}`);
  lines.push(`Last checked: ${escapeMarkdown(formatTime(status.checkedAt))}`);
  if (status.lastFailure) {
    const f = status.lastFailure;
    lines.push(`Last failure (${f.source}, ${escapeMarkdown(formatTime(f.at))}): ${escapeMarkdown(f.message)}`);
  }
  if (needsSignInAgain(status)) lines.push('', 'Claude refused the credentials. Click to open Grove and sign in again.');
  else if (!status.loggedIn) lines.push('', 'Click to open Grove and sign in.');
  // Two trailing spaces make a markdown line break.
  return lines.join('  \n');
}

/** The status-bar item for a state, and a sign-in under way. */
export function statusBarView(state: AuthState, signIn: SignInView = NO_SIGN_IN, formatTime: TimeFormatter = agoTime): StatusBarView {
  const login = signIn.signIn;
  if (login.kind !== 'idle') {
    const method = login.method ? ` (${escapeMarkdown(methodLabel(login.method))})` : '';
    return {
      text: '$(sync~spin) Claude: Signing in…',
      tooltip: `**Signing in to Claude${method}…**  \n  \nClick to open the Account view: the sign-in page's link and the box for its code are there.`,
      warning: false,
      trustedCommands: [],
    };
  }
  switch (state.kind) {
    case 'checking':
      return {
        text: '$(sync~spin) Claude: checking…',
        tooltip: 'Checking the Claude sign-in status…',
        warning: false,
        trustedCommands: [],
      };
    case 'status': {
      const { status } = state;
      const again = needsSignInAgain(status);
      let text = state.signedOut === true ? '$(sign-in) Claude: Signed out' : '$(sign-in) Claude: Sign in';
      if (again) text = '$(warning) Claude: Sign in again';
      else if (status.loggedIn) text = `$(account) Claude: ${signedInLabel(status)}`;
      return {
        text,
        tooltip: statusTooltip(status, state.signedOut === true, formatTime),
        warning: again || !status.loggedIn,
        trustedCommands: [],
      };
    }
    case 'cliMissing':
      return {
        text: '$(warning) Claude CLI not found',
        tooltip: [
          '**Claude CLI not found**',
          '',
          escapeMarkdown(state.message),
          '',
          `[Install Claude Code](${INSTALL_URL}) or set ${settingsLink()} to its path.`,
        ].join('  \n'),
        warning: false,
        trustedCommands: [Commands.setClaudePath],
      };
    case 'error':
      return {
        text: '$(error) Claude: error',
        tooltip: escapeMarkdown(state.message),
        warning: false,
        trustedCommands: [],
      };
  }
}

/**
 * The status-bar item with the 5-hour window added to its tooltip ("Session (5h): 39% · resets in
 * 2 h"), when usage insights are on and have an answer (`usage` undefined otherwise).
 */
export function withUsage(view: StatusBarView, usage: UsageResult | undefined, now: Date = new Date()): StatusBarView {
  const line = usage ? sessionLine(usage, now) : undefined;
  if (line === undefined) return view;
  const stale = usage?.stale ? ' (stale)' : '';
  return { ...view, tooltip: `${view.tooltip}  \n  \n${escapeMarkdown(line)}${stale}` };
}

/** The status-bar item with the profile new runs use in its tooltip ("New runs use anthropic:work"), once the profiles are known. */
export function withActiveProfile(view: StatusBarView, list: ProfilesList | undefined): StatusBarView {
  const line = activeProfileLine(list);
  if (line === undefined) return view;
  return { ...view, tooltip: `${view.tooltip}  \n  \n${escapeMarkdown(line)}` };
}

/** What a row of the Account view does when clicked. */
export type RowAction =
  | { kind: 'openUrl'; url: string }
  /** One of Grove's commands, with no arguments, or with `arguments`. */
  | { kind: 'command'; command: string; title: string; arguments?: unknown[] };

export interface AccountRow {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon name. */
  icon: string;
  /** `viewItem` in `when` clauses. */
  contextValue: string;
  action?: RowAction;
  /** Which agent's sign-in the row's commands are about (given to them as the row, or as `arguments`); none: the default agent's. */
  login?: string;
  /** Rows below this one (shown expanded). */
  children?: AccountRow[];
}

/**
 * The rows of the Account view for a state, and a sign-in under way. None when simply not signed
 * in: the view's welcome content ("Sign in to Claude") shows then.
 */
export function accountRows(state: AuthState, signIn: SignInView = NO_SIGN_IN, formatTime: TimeFormatter = agoTime): AccountRow[] {
  if (signIn.signIn.kind !== 'idle') {
    // The sign-in first; then what is known of the account, minus the old verdict.
    const details =
      state.kind === 'status' && state.status.loggedIn
        ? statusRows(state.status, false, NO_SIGN_IN, formatTime)
            .slice(1)
            .filter((r) => r.id !== 'signIn')
        : [];
    return [...signingInRows(signIn.signIn), ...details];
  }
  switch (state.kind) {
    case 'checking':
      return [{ id: 'state', label: 'Checking sign-in status…', icon: 'sync~spin', contextValue: ContextValues.stateChecking }];
    case 'cliMissing':
      return cliMissingRows(state.message, state.searched);
    case 'error':
      return [{ id: 'state', label: 'Error', description: state.message, tooltip: state.message, icon: 'error', contextValue: ContextValues.stateError }];
    case 'status':
      return statusRows(state.status, state.signedOut === true, signIn, formatTime);
  }
}

const SIGN_IN_ROW: AccountRow = {
  id: 'signIn',
  label: 'Sign in…',
  description: 'Claude subscription, Anthropic Console or SSO',
  icon: 'sign-in',
  contextValue: ContextValues.signIn,
  action: { kind: 'command', command: Commands.signIn, title: 'Sign In' },
};

const CANCEL_ROW: AccountRow = {
  id: 'cancel',
  label: 'Cancel sign-in',
  icon: 'close',
  contextValue: ContextValues.loginCancel,
  action: { kind: 'command', command: Commands.cancelSignIn, title: 'Cancel Sign-in' },
};

const SHOW_OUTPUT_ROW: AccountRow = {
  id: 'output',
  label: 'Show output',
  tooltip: "The Claude CLI's own words, in Grove's output",
  icon: 'output',
  contextValue: ContextValues.loginOutput,
  action: { kind: 'command', command: Commands.showLogs, title: 'Show Output' },
};

/**
 * A sign-in under way: what it waits for, then one row per thing to do (open the page, copy its
 * link, paste the code, cancel). What the CLI prints goes to the output channel ("Show output").
 */
function signingInRows(login: Exclude<SignInState, { kind: 'idle' }>): AccountRow[] {
  const method = login.method ? methodLabel(login.method) : undefined;
  // A short label the default sidebar width shows whole (with the method after it, it was cut);
  // the sentence and the method in its tooltip.
  const state = (label: string, sentence: string): AccountRow => ({
    id: 'state',
    label,
    tooltip: method !== undefined ? `${sentence}\nSign-in method: ${method}` : sentence,
    icon: 'sync~spin',
    contextValue: ContextValues.stateSigningIn,
  });
  if (login.kind === 'starting') return [state('Starting sign-in…', 'Starting the sign-in (claude auth login).'), CANCEL_ROW];

  let label = 'Waiting for the code';
  let sentence = 'Approve the sign-in in your browser, then paste the code the page shows.';
  if (login.cancelling) [label, sentence] = ['Cancelling sign-in…', 'Stopping the sign-in.'];
  else if (login.codeSent) [label, sentence] = ['Checking the code…', 'The claude CLI is checking the code you pasted.'];
  else if (login.url === null) [label, sentence] = ['Signing in…', 'Waiting for the claude CLI to give the sign-in page.'];
  const rows: AccountRow[] = [state(label, sentence)];
  if (login.url !== null) {
    rows.push(
      {
        id: 'url',
        label: 'Open in browser',
        description: login.url,
        tooltip: `Open the sign-in page in your browser:\n${login.url}`,
        icon: 'link-external',
        contextValue: ContextValues.loginUrl,
        action: { kind: 'command', command: Commands.openSignInPage, title: 'Open in Browser' },
      },
      {
        id: 'copy',
        label: 'Copy link',
        tooltip: 'Copy the sign-in link, to open it in a browser elsewhere',
        icon: 'copy',
        contextValue: ContextValues.loginCopy,
        action: { kind: 'command', command: Commands.copySignInLink, title: 'Copy Link' },
      },
    );
  }
  rows.push({
    id: 'paste',
    label: login.codeSent ? 'Paste another code…' : 'Paste code…',
    tooltip: 'Paste the code the sign-in page shows once you approve',
    icon: 'clippy',
    contextValue: ContextValues.loginPaste,
    action: { kind: 'command', command: Commands.pasteSignInCode, title: 'Paste Code' },
  });
  rows.push(SHOW_OUTPUT_ROW, CANCEL_ROW);
  return rows;
}

function validationRow(validation: ValidationState, status: AuthStatus, formatTime: TimeFormatter): AccountRow | undefined {
  switch (validation.kind) {
    case 'none':
      return undefined;
    case 'running':
      return {
        id: 'validation',
        label: 'Checking credentials…',
        description: 'one small request to Claude',
        icon: 'sync~spin',
        contextValue: ContextValues.validation,
      };
    case 'done': {
      const failure = status.lastFailure;
      // A failure recorded since the check makes its "works" old news.
      if (validation.ok && failure && Date.parse(failure.at) > Date.parse(validation.at)) return undefined;
      if (validation.ok) {
        return {
          id: 'validation',
          label: 'Credentials work',
          description: `checked ${formatTime(validation.at)}`,
          tooltip: `Checked ${localTime(validation.at)}`,
          icon: 'pass',
          contextValue: ContextValues.validation,
        };
      }
      // An auth failure the check recorded is the "Last failure" row already.
      if (failure?.source === 'validate' && failure.message === validation.message) return undefined;
      const message = validation.message ?? 'no answer';
      return {
        id: 'validation',
        label: 'Credentials check failed',
        description: `${formatTime(validation.at)} · ${message}`,
        tooltip: message,
        icon: 'warning',
        contextValue: ContextValues.validation,
      };
    }
  }
}

function cliMissingRows(message: string, searched: string[]): AccountRow[] {
  const rows: AccountRow[] = [{ id: 'state', label: 'Claude CLI not found', tooltip: message, icon: 'warning', contextValue: ContextValues.stateCliMissing }];
  if (searched.length > 0) {
    rows.push({
      id: 'searched',
      label: 'Searched',
      description: searched.join(', '),
      tooltip: searched.join('\n'),
      icon: 'search',
      contextValue: ContextValues.searched,
    });
  }
  rows.push(
    {
      id: 'install',
      label: 'Install Claude Code…',
      tooltip: INSTALL_URL,
      icon: 'link-external',
      contextValue: ContextValues.install,
      action: { kind: 'openUrl', url: INSTALL_URL },
    },
    {
      id: 'setPath',
      label: `Set ${Settings.claudePath}…`,
      icon: 'settings-gear',
      contextValue: ContextValues.setting,
      action: { kind: 'command', command: Commands.setClaudePath, title: 'Set Claude CLI Path' },
    },
  );
  return rows;
}

/** The signed-in row's tooltip: the sentence its short label stands for. */
export function signedInTooltip(status: AuthStatus): string {
  const plan = status.subscriptionType ? ` (${planName(status.subscriptionType)} plan)` : '';
  const account = accountName(status);
  return `Signed in to Claude${plan} with ${methodName(status.authMethod)}${account === undefined ? '' : ` as ${account}`}`;
}

function statusRows(status: AuthStatus, signedOut: boolean, signIn: SignInView, formatTime: TimeFormatter): AccountRow[] {
  const rows: AccountRow[] = [];
  const again = needsSignInAgain(status);
  const outcome = signIn.signIn.kind === 'idle' ? outcomeText(signIn.signIn.last) : undefined;
  // Simply not signed in: the welcome content says so, with its one button.
  if (!status.loggedIn && outcome === undefined) return [];
  if (again) {
    const description = outcome ?? status.lastFailure?.message ?? '';
    rows.push({ id: 'state', label: 'Sign in again', description, tooltip: description, icon: 'warning', contextValue: ContextValues.stateSignInAgain });
    rows.push(SIGN_IN_ROW);
  } else if (status.loggedIn) {
    const label = status.subscriptionType ? `Claude ${planName(status.subscriptionType)}` : signedInLabel(status);
    rows.push({
      id: 'state',
      label: label === 'Signed in' ? 'Signed in' : `Signed in · ${label}`,
      tooltip: signedInTooltip(status),
      icon: 'account',
      contextValue: ContextValues.stateSignedIn,
    });
  } else {
    rows.push({
      id: 'state',
      label: signedOut ? 'Signed out' : 'Not signed in',
      ...(outcome !== undefined && { description: outcome, tooltip: outcome }),
      icon: 'warning',
      contextValue: ContextValues.stateSignedOut,
    });
    rows.push(SIGN_IN_ROW, SHOW_OUTPUT_ROW);
    // The CLI's details matter little before a sign-in succeeds.
    return rows;
  }
  if (status.lastFailure) {
    const f = status.lastFailure;
    const when = `${failureSourceLabel(f.source)} · ${formatTime(f.at)}`;
    rows.push({
      id: 'failure',
      label: 'Last failure',
      // Source and time first: a long message is cut off at the end.
      description: `${when} · ${f.message}`,
      tooltip: `${f.message}\n(${failureSourceLabel(f.source)}, ${localTime(f.at)}; shown until a sign-in or a credentials check succeeds)`,
      icon: 'warning',
      contextValue: ContextValues.lastFailure,
    });
  }
  if (status.loggedIn) {
    const validation = validationRow(signIn.validation, status, formatTime);
    if (validation) rows.push(validation);
  }
  // Short words on the row; the whole of a long value in its tooltip.
  const method = methodName(status.authMethod);
  rows.push({ id: 'method', label: 'Method', description: method, tooltip: `Sign-in method: ${method}`, icon: 'key', contextValue: ContextValues.method });
  const account = accountName(status);
  if (account) rows.push({ id: 'account', label: 'Account', description: account, tooltip: account, icon: 'person', contextValue: ContextValues.accountName });
  rows.push({
    id: 'cli',
    label: 'CLI',
    // The version first: a long path is cut off at the end.
    description: status.cli.version ? `${status.cli.version} · ${status.cli.path}` : status.cli.path,
    tooltip: cliDescription(status),
    icon: 'terminal',
    contextValue: ContextValues.cli,
  });
  rows.push({
    id: 'checked',
    label: 'Last checked',
    description: formatTime(status.checkedAt),
    tooltip: localTime(status.checkedAt),
    icon: 'history',
    contextValue: ContextValues.checkedAt,
  });
  return rows;
}

/** The argument that makes a sign-in command act on an agent's sign-in (not the default agent's). */
export function loginArg(agent: string): { login: string } {
  return { login: agent };
}

/**
 * A sign-in of an agent under way (Grove's own into a profile, or the agent CLI's own): one row
 * that says what it signs in and what it waits for, with the things to do below it (open the page,
 * copy its link, paste the address, the output, cancel). Each row says which agent's sign-in it is
 * about.
 */
export function agentSignInRows(words: AgentWords, signIn: SignInState): AccountRow[] {
  // Its outcome is a notification (with Retry) and the profile's own row.
  if (signIn.kind === 'idle') return [];
  const agent = words.agent;
  const cmd = (command: string, title: string): RowAction => ({ kind: 'command', command, title, arguments: [loginArg(agent)] });
  const cancel: AccountRow = {
    id: `${agent}:cancel`,
    label: 'Cancel sign-in',
    icon: 'close',
    contextValue: ContextValues.loginCancel,
    action: cmd(Commands.cancelSignIn, 'Cancel Sign-in'),
    login: agent,
  };
  const subject = signInSubject(signIn.target, words);
  const head = (label: string, children: AccountRow[], tooltip = `Signing in to ${subject}`): AccountRow[] => [
    {
      id: `${agent}:state`,
      label,
      description: subject,
      tooltip,
      icon: 'sync~spin',
      contextValue: ContextValues.stateSigningIn,
      login: agent,
      children,
    },
  ];
  if (signIn.kind === 'starting') return head(`Starting the ${words.service} sign-in…`, [cancel]);
  const children: AccountRow[] = [];
  if (signIn.url !== null) {
    children.push(
      {
        id: `${agent}:url`,
        label: 'Open in browser',
        description: signIn.url,
        tooltip: `Open the sign-in page in your browser:\n${signIn.url}`,
        icon: 'link-external',
        contextValue: ContextValues.loginUrl,
        action: cmd(Commands.openSignInPage, 'Open in Browser'),
        login: agent,
      },
      {
        id: `${agent}:copy`,
        label: 'Copy link',
        tooltip: 'Copy the sign-in link, to open it in a browser elsewhere',
        icon: 'copy',
        contextValue: ContextValues.loginCopy,
        action: cmd(Commands.copySignInLink, 'Copy Link'),
        login: agent,
      },
    );
  }
  if (takesPaste(signIn.target)) {
    children.push({
      id: `${agent}:paste`,
      label: signIn.codeSent ? 'Paste another address…' : 'Paste the address…',
      tooltip: 'Paste the address where the browser ends up after you sign in (or its code)',
      icon: 'clippy',
      contextValue: ContextValues.loginPaste,
      action: cmd(Commands.pasteSignInCode, 'Paste the Address'),
      login: agent,
    });
  }
  children.push(
    {
      id: `${agent}:output`,
      label: 'Show output',
      tooltip: "What the sign-in said, in Grove's output",
      icon: 'output',
      contextValue: ContextValues.loginOutput,
      action: { kind: 'command', command: Commands.showLogs, title: 'Show Output' },
      login: agent,
    },
    cancel,
  );
  return head(agentStateLabel(signIn), children, agentStateTooltip(signIn, words));
}

/** The row below an agent CLI that signs in only in its own interactive flow: "Sign In…" opens it in a terminal. */
function terminalSignInRow(agent: AgentCli): AccountRow {
  const status = agent.signIn.status === 'signedIn' ? `Signed in${agent.signIn.account === undefined ? '' : ` as ${agent.signIn.account}`}. ` : '';
  return {
    id: `agent:${agent.id}:signIn`,
    label: 'Sign In…',
    tooltip: `${status}Runs ${agent.label}'s own sign-in in a terminal; Grove notices when it is done.`,
    icon: 'sign-in',
    contextValue: ContextValues.signIn,
    action: { kind: 'command', command: Commands.signIn, title: 'Sign In', arguments: [{ agent: agent.id }] },
  };
}

/** The label of the Account view's part that lists the agent CLIs. */
export const AGENT_CLIS_LABEL = 'Agent CLIs';

/**
 * The agent CLIs the sidecar lists (`grove/agents/list`), under one row: each found with its
 * version (its path in the tooltip), or not found with its install hint and "Set path…", which
 * opens its setting (`grove.<setting>`; in a remote window, on the Remote tab: the setting has
 * machine scope).
 */
export function agentCliRows(agents: readonly AgentCli[], remote: boolean): AccountRow[] {
  if (agents.length === 0) return [];
  const children = agents.map((a): AccountRow => {
    const setting = `grove.${a.setting}`;
    if (a.found) {
      const version = a.version ?? 'found';
      return {
        id: `agent:${a.id}`,
        label: a.label,
        description: version,
        tooltip: [`${a.label} ${version}`, a.path, a.signIn.account === undefined ? undefined : `Signed in: ${a.signIn.account}`]
          .filter((l) => l !== undefined)
          .join('\n'),
        icon: 'check',
        contextValue: ContextValues.cli,
        ...(a.signIn.methods.includes('terminal') && (a.signIn.terminal?.length ?? 0) > 0 && { children: [terminalSignInRow(a)] }),
      };
    }
    return {
      id: `agent:${a.id}`,
      label: a.label,
      description: 'not found',
      tooltip: a.installHint,
      icon: 'warning',
      contextValue: ContextValues.cli,
      children: [
        { id: `agent:${a.id}:install`, label: a.installHint, tooltip: a.installHint, icon: 'info', contextValue: ContextValues.install },
        {
          id: `agent:${a.id}:setPath`,
          label: 'Set path…',
          tooltip: `Set ${setting} to the ${a.label} CLI's executable`,
          icon: 'settings-gear',
          contextValue: ContextValues.setting,
          action: {
            kind: 'command',
            command: remote ? 'workbench.action.openRemoteSettings' : 'workbench.action.openSettings',
            title: 'Set Path',
            arguments: [{ query: `@id:${setting}` }],
          },
        },
      ],
    };
  });
  const missing = agents.filter((a) => !a.found).length;
  return [
    {
      id: 'agents',
      label: AGENT_CLIS_LABEL,
      description: missing === 0 ? `${agents.length} found` : `${agents.length - missing} of ${agents.length} found`,
      icon: 'terminal',
      contextValue: ContextValues.cli,
      children,
    },
  ];
}
