// What the status-bar item and the Account view show for a sign-in state: texts, tooltips and rows, computed without vscode.
import type { AuthState } from './authState';
import type { AuthStatus } from './protocol';

export const INSTALL_URL = 'https://docs.anthropic.com/en/docs/claude-code/setup';
export const CLAUDE_PATH_SETTING = 'grove.claudePath';
/** The command a tooltip link may run to open the `grove.claudePath` setting. */
export const OPEN_SETTINGS_COMMAND = 'workbench.action.openSettings';

/** Formats an RFC 3339 time for people; the default is the local time of this machine. */
export type TimeFormatter = (rfc3339: string) => string;

export const localTime: TimeFormatter = (rfc3339) => {
  const date = new Date(rfc3339);
  return Number.isNaN(date.getTime()) ? rfc3339 : date.toLocaleString();
};

export interface StatusBarView {
  text: string;
  /** Markdown. */
  tooltip: string;
  /** Shown with the warning background (signed out). */
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
  const args = encodeURIComponent(JSON.stringify([CLAUDE_PATH_SETTING]));
  return `[\`${CLAUDE_PATH_SETTING}\`](command:${OPEN_SETTINGS_COMMAND}?${args})`;
}

function statusTooltip(status: AuthStatus, formatTime: TimeFormatter): string {
  const lines = [
    `**Claude: ${status.loggedIn ? 'signed in' : 'not signed in'}**`,
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
  if (!status.loggedIn) lines.push('', 'Click to open Grove and sign in.');
  // Two trailing spaces make a markdown line break.
  return lines.join('  \n');
}

/** The status-bar item for a state. */
export function statusBarView(state: AuthState, formatTime: TimeFormatter = localTime): StatusBarView {
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
      return {
        text: status.loggedIn ? `$(account) Claude: ${signedInLabel(status)}` : '$(sign-in) Claude: Sign in',
        tooltip: statusTooltip(status, formatTime),
        warning: !status.loggedIn,
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
        trustedCommands: [OPEN_SETTINGS_COMMAND],
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

/** What a row of the Account view does when clicked. */
export type RowAction = { kind: 'openUrl'; url: string } | { kind: 'openSetting'; setting: string };

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
}

/** The rows of the Account view for a state. */
export function accountRows(state: AuthState, formatTime: TimeFormatter = localTime): AccountRow[] {
  switch (state.kind) {
    case 'checking':
      return [{ id: 'state', label: 'Checking sign-in status…', icon: 'sync~spin', contextValue: 'grove.state.checking' }];
    case 'cliMissing':
      return cliMissingRows(state.message, state.searched);
    case 'error':
      return [
        { id: 'state', label: 'Error', description: state.message, tooltip: state.message, icon: 'error', contextValue: 'grove.state.error' },
      ];
    case 'status':
      return statusRows(state.status, formatTime);
  }
}

function cliMissingRows(message: string, searched: string[]): AccountRow[] {
  const rows: AccountRow[] = [
    { id: 'state', label: 'Claude CLI not found', tooltip: message, icon: 'warning', contextValue: 'grove.state.cliMissing' },
  ];
  if (searched.length > 0) {
    rows.push({
      id: 'searched',
      label: 'Searched',
      description: searched.join(', '),
      tooltip: searched.join('\n'),
      icon: 'search',
      contextValue: 'grove.searched',
    });
  }
  rows.push(
    {
      id: 'install',
      label: 'Install Claude Code…',
      tooltip: INSTALL_URL,
      icon: 'link-external',
      contextValue: 'grove.install',
      action: { kind: 'openUrl', url: INSTALL_URL },
    },
    {
      id: 'setPath',
      label: `Set ${CLAUDE_PATH_SETTING}…`,
      icon: 'settings-gear',
      contextValue: 'grove.setting',
      action: { kind: 'openSetting', setting: CLAUDE_PATH_SETTING },
    },
  );
  return rows;
}

function statusRows(status: AuthStatus, formatTime: TimeFormatter): AccountRow[] {
  const rows: AccountRow[] = [];
  if (status.loggedIn) {
    const label = status.subscriptionType ? `Claude ${planName(status.subscriptionType)}` : signedInLabel(status);
    rows.push({
      id: 'state',
      label: label === 'Signed in' ? 'Signed in' : `Signed in · ${label}`,
      icon: 'account',
      contextValue: 'grove.state.signedIn',
    });
  } else {
    rows.push({ id: 'state', label: 'Not signed in', icon: 'sign-in', contextValue: 'grove.state.signedOut' });
  }
  rows.push({ id: 'method', label: 'Method', description: methodName(status.authMethod), icon: 'key', contextValue: 'grove.method' });
  const account = accountName(status);
  if (account) rows.push({ id: 'account', label: 'Account', description: account, icon: 'person', contextValue: 'grove.accountName' });
  rows.push({
    id: 'cli',
    label: 'CLI',
    // The version first: a long path is cut off at the end.
    description: status.cli.version ? `${status.cli.version} · ${status.cli.path}` : status.cli.path,
    tooltip: cliDescription(status),
    icon: 'terminal',
    contextValue: 'grove.cli',
  });
  rows.push({
    id: 'checked',
    label: 'Last checked',
    description: formatTime(status.checkedAt),
    icon: 'history',
    contextValue: 'grove.checkedAt',
  });
  if (status.lastFailure) {
    const f = status.lastFailure;
    rows.push({
      id: 'failure',
      label: 'Last failure',
      description: f.message,
      tooltip: `${f.message}\n(${f.source}, ${formatTime(f.at)})`,
      icon: 'warning',
      contextValue: 'grove.lastFailure',
    });
  }
  return rows;
}
