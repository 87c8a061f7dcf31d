// Mirrors server/src/protocol.rs (the single source of truth): every Grove method with its params and result, the settings and the error codes.
// Keep method names as plain string literals and codes as plain numbers (tests/tests/protocol_drift.rs reads them); no apostrophes in comments here.
import { NotificationType, RequestType } from 'vscode-jsonrpc';

/** The protocol version announced in `initialize` as `capabilities.experimental.grove`. */
export const PROTOCOL_VERSION = 1;

/** Stable JSON-RPC error codes (`data` as documented per code); `error_code` in protocol.rs. */
export const ErrorCodes = {
  /** No claude CLI; `data.searched` lists the places tried. */
  CliNotFound: -32010,
  /** A second `login` while one runs; `data.loginId` is the running one. */
  LoginInProgress: -32011,
  /** `loginInput`/`loginCancel` for an id that is not running. */
  UnknownLogin: -32012,
  /** The claude CLI ran but its answer could not be used. */
  CliFailed: -32013,
  /** Archive/delete of a worktree with uncommitted or untracked files; `data.files`. */
  WorkspaceDirty: -32020,
  /** Archive/delete while an agent runs in it. */
  WorkspaceBusy: -32021,
  /** A workspace name or ref that is not a safe, valid git branch component. */
  InvalidName: -32022,
  /** Unknown workspace or run id. */
  NotFound: -32023,
  /** `repoPath` is not inside a git work tree. */
  NotARepository: -32024,
  /** Deleting a branch with commits its base does not have, without `force`; `data.branch`, `data.unmergedCommits`. */
  UnmergedBranch: -32025,
  /** A git command failed; the message carries the words of git. */
  GitFailed: -32026,
  /** `usage/get` while `usageInsights` is off. */
  UsageDisabled: -32030,
  /** Usage asked for, but the login is an API key or an inherited token. */
  NoOAuthCredentials: -32031,
  /** The token is expired and could not be refreshed. */
  CredentialsExpired: -32032,
  /** The own state of Grove (registry, runs, transcripts, locks) or the credential store of the CLI could not be read or written. */
  StoreFailed: -32040,
  /** Malformed params (standard JSON-RPC). */
  InvalidParams: -32602,
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** `data` of a `CliNotFound` error. */
export interface CliNotFoundData {
  searched: string[];
}

// ---------------------------------------------------------------------------------------------
// Settings

/**
 * Settings, sent as `initializationOptions` and in `workspace/didChangeConfiguration`
 * as `{settings: {grove: GroveSettings}}`. Unknown fields are ignored by the sidecar.
 */
export interface GroveSettings {
  claudePath?: string;
  maxParallelAgents?: number;
  worktreeRoot?: string;
  usageInsights?: boolean;
  /** Prefix of workspace branches; by default grove/ (as in grove/my-task). */
  branchPrefix?: string;
  /** Script run in each new worktree; default `.grove/setup.sh` if present. */
  setupScript?: string;
  /** Seconds a setup script may run before it is stopped; default 600. */
  setupTimeoutSeconds?: number;
}

// ---------------------------------------------------------------------------------------------
// Auth

/** Where the claude CLI is and which version it reports. */
export interface CliInfo {
  path: string;
  version: string | null;
}

/** Where an authentication failure was seen. */
export type FailureSource = 'agent' | 'validate' | 'usage' | 'login';

export interface AuthFailure {
  message: string;
  source: FailureSource;
  /** RFC 3339. */
  at: string;
}

/** The sign-in state, as `claude auth status --json` reports it. */
export interface AuthStatus {
  loggedIn: boolean;
  /** As the CLI reports it: "claude.ai", "api_key", "oauth_token", "none", … */
  authMethod: string;
  apiProvider: string | null;
  email: string | null;
  orgName: string | null;
  subscriptionType: string | null;
  cli: CliInfo;
  /** RFC 3339. */
  checkedAt: string;
  lastFailure: AuthFailure | null;
}

export interface AuthStatusParams {
  /** Run `claude auth status --json` again instead of answering from the cache. */
  force?: boolean;
}

/** `grove/auth/status`: the cached status, or a fresh one with `force`. */
export const AuthStatusRequest = new RequestType<AuthStatusParams, AuthStatus, void>('grove/auth/status');

/** `grove/auth/statusChanged`: sent whenever the status differs from the last one sent. */
export const AuthStatusChanged = new NotificationType<AuthStatus>('grove/auth/statusChanged');

/** How to sign in: a Claude subscription (default), an Anthropic Console account, or SSO. */
export type LoginMethod = 'claudeai' | 'console' | 'sso';

export interface AuthLoginParams {
  method?: LoginMethod;
  email?: string;
}

export interface AuthLoginResult {
  loginId: string;
}

/** `grove/auth/login`: starts `claude auth login`; answers at once, the CLI runs on. */
export const AuthLoginRequest = new RequestType<AuthLoginParams, AuthLoginResult, void>('grove/auth/login');

export interface AuthLoginInputParams {
  loginId: string;
  code: string;
}

/** `grove/auth/loginInput`: the pasted code goes to the stdin of the CLI. */
export const AuthLoginInputRequest = new RequestType<AuthLoginInputParams, null, void>('grove/auth/loginInput');

export interface AuthLoginCancelParams {
  loginId: string;
}

/** `grove/auth/loginCancel`: the CLI and everything it started are killed. */
export const AuthLoginCancelRequest = new RequestType<AuthLoginCancelParams, null, void>('grove/auth/loginCancel');

export type OutputStream = 'stdout' | 'stderr';

export interface LoginProgress {
  loginId: string;
  stream: OutputStream;
  line: string;
  /** The first URL in the line, if any. */
  url: string | null;
}

/** `grove/auth/loginProgress`: one per line of CLI output; a prompt with no newline still arrives. */
export const AuthLoginProgress = new NotificationType<LoginProgress>('grove/auth/loginProgress');

export interface LoginComplete {
  loginId: string;
  success: boolean;
  error: string | null;
}

/** `grove/auth/loginComplete`: exactly once per login, after the CLI exits. */
export const AuthLoginComplete = new NotificationType<LoginComplete>('grove/auth/loginComplete');

/** No params: always `{}`. */
export type AuthValidateParams = Record<string, never>;

export interface AuthValidateResult {
  ok: boolean;
  message: string | null;
}

/** `grove/auth/validate`: one minimal authenticated CLI request. */
export const AuthValidateRequest = new RequestType<AuthValidateParams, AuthValidateResult, void>('grove/auth/validate');

// ---------------------------------------------------------------------------------------------
// Workspaces

export type WorkspaceState = 'active' | 'archived';

/** How the setup script of the workspace ended. */
export interface SetupResult {
  success: boolean;
  exitCode: number | null;
  message: string | null;
}

/** A git worktree on its own branch, where one agent works. */
export interface Workspace {
  id: string;
  name: string;
  /** The main checkout. */
  repoPath: string;
  /** The worktree directory ("" while archived). */
  path: string;
  branch: string;
  baseRef: string;
  baseCommit: string;
  state: WorkspaceState;
  createdAt: string;
  /** First of the 10 ports reserved for this workspace (`GROVE_PORT`). */
  port: number;
  /** The last run of the setup script, if one ran. */
  setup: SetupResult | null;
}

export interface WorkspaceCreateParams {
  repoPath: string;
  name?: string;
  baseRef?: string;
}

/** `grove/workspace/create`: a new worktree on a new branch; answers once setup has run. */
export const WorkspaceCreateRequest = new RequestType<WorkspaceCreateParams, Workspace, void>('grove/workspace/create');

export interface WorkspaceListParams {
  repoPath?: string;
}

export interface WorkspaceListResult {
  workspaces: Workspace[];
}

/** `grove/workspace/list`: every workspace, or those of one repository. */
export const WorkspaceListRequest = new RequestType<WorkspaceListParams, WorkspaceListResult, void>('grove/workspace/list');

export interface WorkspaceArchiveParams {
  id: string;
  force?: boolean;
}

/** `grove/workspace/archive`: worktree removed (uncommitted work saved first with `force`), branch kept. */
export const WorkspaceArchiveRequest = new RequestType<WorkspaceArchiveParams, Workspace, void>('grove/workspace/archive');

export interface WorkspaceIdParams {
  id: string;
}

/** `grove/workspace/restore`: the worktree back on its branch, with its saved work. */
export const WorkspaceRestoreRequest = new RequestType<WorkspaceIdParams, Workspace, void>('grove/workspace/restore');

export interface WorkspaceDeleteParams {
  id: string;
  deleteBranch?: boolean;
  force?: boolean;
}

/** `grove/workspace/delete`: archive, forget, and with `deleteBranch` the branch if merged. */
export const WorkspaceDeleteRequest = new RequestType<WorkspaceDeleteParams, null, void>('grove/workspace/delete');

/** One changed file against the base commit of the workspace. */
export interface FileChange {
  path: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'typeChanged' | 'untracked';
  /** Lines added and deleted; null for binary files, and for untracked links, FIFOs, devices or files over 8 MiB (never read). */
  additions: number | null;
  deletions: number | null;
  /** The path before a rename or copy. */
  oldPath?: string;
}

export interface WorkspaceChanges {
  files: FileChange[];
  ahead: number;
  behind: number;
}

/** `grove/workspace/changes`: files changed against `baseCommit`, uncommitted work included. */
export const WorkspaceChangesRequest = new RequestType<WorkspaceIdParams, WorkspaceChanges, void>('grove/workspace/changes');

export interface WorkspaceFileAtBaseParams {
  id: string;
  /** Relative to the worktree, as `changes` lists it. */
  path: string;
}

export interface WorkspaceFileAtBase {
  /** The file text at `baseCommit`; null when it did not exist there, is binary, or is over 16 MiB (then `binary` is true). */
  content: string | null;
  binary: boolean;
}

/** `grove/workspace/fileAtBase`: a file as it was at the base commit, for a diff (Grove extension). */
export const WorkspaceFileAtBaseRequest = new RequestType<WorkspaceFileAtBaseParams, WorkspaceFileAtBase, void>('grove/workspace/fileAtBase');

export interface RepoInfoParams {
  /** Any path inside a repository or one of its worktrees. */
  path: string;
}

export interface RepoInfo {
  /** The top of the work tree `path` is in (the folder of a linked worktree for a worktree). */
  root: string;
  /** The main checkout of the repository. */
  mainRoot: string;
  /** Whether `root` is a linked worktree rather than the main checkout. */
  isWorktree: boolean;
  /** The branch checked out in `root`; null when `HEAD` is detached. */
  branch: string | null;
  /** Uncommitted and untracked files of `root` (ignored files are not listed), relative to it. */
  dirtyFiles: string[];
}

/** `grove/repo/info`: the repository a path is in (Grove extension). */
export const RepoInfoRequest = new RequestType<RepoInfoParams, RepoInfo, void>('grove/repo/info');

export interface WorkspaceChangedParams {
  workspace: Workspace;
  /** True when the workspace was deleted. */
  removed: boolean;
}

/** `grove/workspace/changed`: after any change of a workspace. */
export const WorkspaceChanged = new NotificationType<WorkspaceChangedParams>('grove/workspace/changed');

export interface SetupOutput {
  workspaceId: string;
  stream: OutputStream;
  line: string;
}

/** `grove/workspace/setupOutput`: one per line the setup script prints. */
export const WorkspaceSetupOutput = new NotificationType<SetupOutput>('grove/workspace/setupOutput');

// ---------------------------------------------------------------------------------------------
// Agents

export type RunState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'authRequired';

/** One agent turn in a workspace. */
export interface Run {
  runId: string;
  workspaceId: string;
  state: RunState;
  prompt: string;
  sessionId: string | null;
  startedAt: string | null;
  endedAt: string | null;
  costUsd: number | null;
  error: string | null;
  /** When the run was asked for. */
  createdAt: string;
  /** The CLI saved this run's session (a turn reached the model): a later turn may resume it. */
  resumable: boolean;
}

/** What the agent did, normalized from the stream-json lines of the CLI. */
export type AgentEvent =
  | { kind: 'init'; sessionId: string; model: string; cwd: string }
  | { kind: 'text'; text: string }
  /** A piece of the assistant's text as it is written; the `text` event that follows holds the whole block. */
  | { kind: 'textDelta'; text: string }
  /** Something Grove did for the user during the run, in plain words (e.g. a new session started). */
  | { kind: 'notice'; message: string }
  | { kind: 'toolUse'; id: string; name: string; input: unknown }
  | { kind: 'toolResult'; toolUseId: string; isError: boolean; content: string }
  | { kind: 'retry'; attempt: number; errorStatus: number | null; error: string | null }
  | { kind: 'result'; isError: boolean; text: string | null; costUsd: number | null; durationMs: number | null }
  | { kind: 'stderr'; line: string }
  /** A rate-limit notice from the CLI, with when the limit resets. */
  | { kind: 'rateLimit'; status: string; limitType: string | null; resetsAt: string | null }
  /** Anything else; `line` is the line itself when it was not JSON. */
  | { kind: 'other'; type: string; line?: string };

export interface AgentStartParams {
  workspaceId: string;
  prompt: string;
  model?: string;
  permissionMode?: string;
  newSession?: boolean;
}

/** `grove/agent/start`: a run, `queued` or `running`. */
export const AgentStartRequest = new RequestType<AgentStartParams, Run, void>('grove/agent/start');

export interface RunIdParams {
  runId: string;
}

/** `grove/agent/cancel`: interrupt, terminate, then kill the process group of the run. */
export const AgentCancelRequest = new RequestType<RunIdParams, null, void>('grove/agent/cancel');

export interface AgentListParams {
  workspaceId?: string;
}

export interface AgentListResult {
  runs: Run[];
}

/** `grove/agent/list`: runs, oldest first. */
export const AgentListRequest = new RequestType<AgentListParams, AgentListResult, void>('grove/agent/list');

export interface AgentTranscript {
  events: AgentEvent[];
}

/** `grove/agent/transcript`: every event of a run, also after a restart. */
export const AgentTranscriptRequest = new RequestType<RunIdParams, AgentTranscript, void>('grove/agent/transcript');

export interface AgentEventParams {
  runId: string;
  workspaceId: string;
  seq: number;
  event: AgentEvent;
}

/** `grove/agent/event`: `seq` counts from 0 per run, with no gaps. */
export const AgentEventNotification = new NotificationType<AgentEventParams>('grove/agent/event');

/** `grove/agent/stateChanged`: on every state change of a run. */
export const AgentStateChanged = new NotificationType<Run>('grove/agent/stateChanged');

export interface UsageGetParams {
  /** Ask the API now instead of answering from the 5-minute cache. */
  force?: boolean;
}

/** One rate-limit window: how much of it is used, and when it resets. */
export interface UsageWindow {
  /** The key of the API: `five_hour`, `seven_day`, `seven_day_opus`, `seven_day_sonnet`. */
  id: string;
  label: string;
  /** Percent used. */
  utilization: number;
  resetsAt: string | null;
}

export interface UsageResult {
  subscriptionType: string | null;
  rateLimitTier: string | null;
  windows: UsageWindow[];
  extraUsage: Record<string, unknown> | null;
  fetchedAt: string;
  /** True when the last request failed and this is the last good answer (Grove extension). */
  stale: boolean;
}

/** `grove/usage/get`: the rate-limit windows of the subscription (only while `usageInsights` is on). */
export const UsageGetRequest = new RequestType<UsageGetParams, UsageResult, void>('grove/usage/get');

export interface SecretSetParams {
  key: string;
  value: string;
}

export interface SecretKeyParams {
  key: string;
}

export interface SecretValue {
  value: string | null;
}

export type SecretListParams = Record<string, never>;

export interface SecretKeys {
  keys: string[];
}

/** `grove/secrets/set`: stores a plugin secret under `pluginSecrets` in the credential store of the CLI. */
export const SecretSetRequest = new RequestType<SecretSetParams, null, void>('grove/secrets/set');

/** `grove/secrets/get`. */
export const SecretGetRequest = new RequestType<SecretKeyParams, SecretValue, void>('grove/secrets/get');

/** `grove/secrets/delete`. */
export const SecretDeleteRequest = new RequestType<SecretKeyParams, null, void>('grove/secrets/delete');

/** `grove/secrets/list`: the keys, never the values. */
export const SecretListRequest = new RequestType<SecretListParams, SecretKeys, void>('grove/secrets/list');
