// Mirrors server/src/protocol.rs (the single source of truth): every Grove method with its params and result types (generated from it into protocol.generated.ts) and the error codes.
// Keep method names as plain string literals and codes as plain numbers (tests/tests/protocol_drift.rs reads them); no apostrophes in comments here.
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type {
  AuthStatus,
  AuthStatusParams,
  AuthLoginParams,
  AuthLoginResult,
  AuthLoginInputParams,
  AuthLoginCancelParams,
  LoginProgress,
  LoginComplete,
  AuthValidateParams,
  AuthValidateResult,
  Workspace,
  AgentsList,
  AgentsListParams,
  WorkspaceCheckNameParams,
  WorkspaceCheckNameResult,
  WorkspaceCreateParams,
  WorkspaceListParams,
  WorkspaceListResult,
  WorkspaceArchiveParams,
  WorkspaceIdParams,
  WorkspaceDeleteParams,
  WorkspaceChanges,
  WorkspaceFileAtBaseParams,
  WorkspaceFileAtBase,
  RepoInfoParams,
  RepoInfo,
  WorkspaceChangedParams,
  SetupOutput,
  Run,
  AgentStartParams,
  RunIdParams,
  AgentListParams,
  AgentListResult,
  AgentTranscript,
  AgentEventParams,
  UsageGetParams,
  UsageResult,
  SecretSetParams,
  SecretKeyParams,
  SecretValue,
  SecretListParams,
  SecretKeys,
  Profile,
  ProfilesListParams,
  ProfilesList,
  ProfileAddParams,
  ProfileIdParams,
  ProfileSetOrderParams,
  ProfileCheckResult,
  ProfilesDetectParams,
  ProfilesDetected,
  ProfilesImportParams,
  ProfilesImported,
  ProfilesInheritedParams,
  InheritedKeys,
  ProfileAdoptParams,
  WorkspaceSetProfileParams,
  AgentRequest,
  AgentRequestDone,
  AgentRespondParams,
  AgentPendingParams,
  AgentPending,
  AgentSendParams,
  WorkspaceRules,
  WorkspaceRemoveRuleParams,
  GitStatus,
  GitStatusChangedParams,
  WorkspaceCommitParams,
  WorkspaceCommitResult,
  WorkspaceCommitMessage,
  WorkspaceSyncParams,
  WorkspaceSyncResult,
  WorkspaceResolvePrompt,
  WorkspaceMergeParams,
  WorkspaceMergeResult,
  WorkspaceApplyResult,
  WorkspacePushParams,
  WorkspacePushResult,
  WorkspaceCreatePullRequestParams as CreatePullRequestParams,
  WorkspaceCreatePullRequestResult as CreatePullRequestResult,
} from './protocol.generated';
// The type of every param, result and notification is generated from server/src/protocol.rs.
export type {
  GroveSettings,
  CliInfo,
  FailureSource,
  AuthFailure,
  AuthStatus,
  AuthStatusParams,
  LoginMethod,
  AuthLoginParams,
  AuthLoginResult,
  AuthLoginInputParams,
  AuthLoginCancelParams,
  OutputStream,
  LoginProgress,
  LoginComplete,
  AuthValidateParams,
  AuthValidateResult,
  WorkspaceState,
  SetupResult,
  Workspace,
  AgentCapabilities,
  AgentCli,
  AgentSignIn,
  AgentsList,
  AgentsListParams,
  AgentProvider,
  CostKind,
  KindSignIn,
  ProfileKind,
  SecretAsk,
  SignInMethod,
  WorkspaceCheckNameParams,
  WorkspaceCheckNameResult,
  WorkspaceCreateParams,
  WorkspaceListParams,
  WorkspaceListResult,
  WorkspaceArchiveParams,
  WorkspaceIdParams,
  WorkspaceDeleteParams,
  FileChange,
  WorkspaceChanges,
  WorkspaceFileAtBaseParams,
  WorkspaceFileAtBase,
  RepoInfoParams,
  RepoInfo,
  WorkspaceChangedParams,
  SetupOutput,
  RunState,
  Run,
  AgentEvent,
  AgentStartParams,
  RunIdParams,
  AgentListParams,
  AgentListResult,
  AgentTranscript,
  AgentEventParams,
  UsageGetParams,
  UsageWindow,
  UsageResult,
  SecretSetParams,
  SecretKeyParams,
  SecretValue,
  SecretListParams,
  SecretKeys,
  ProfileType,
  ProfileStatus,
  ProfileFailure,
  Profile,
  ProfilesListParams,
  ProfilesList,
  ProfileAddParams,
  ProfileIdParams,
  ProfileSetOrderParams,
  ProfileCheckResult,
  ProfilesDetectParams,
  DetectedEndpoint,
  ProfilesDetected,
  ProfilesImportParams,
  ProfilesImported,
  ProfilesInheritedParams,
  InheritedKey,
  InheritedKeys,
  ProfileAdoptParams,
  WorkspaceSetProfileParams,
  RequestKind,
  AgentRequest,
  AgentRequestDone,
  Behavior,
  AgentRespondParams,
  AgentPendingParams,
  AgentPending,
  AgentSendParams,
  Rule,
  WorkspaceRules,
  WorkspaceRemoveRuleParams,
  SyncMethod,
  MergeMethod,
  GitOperation,
  Upstream,
  PullRequest,
  GitStatus,
  GitStatusChangedParams,
  WorkspaceCommitParams,
  WorkspaceCommitResult,
  WorkspaceCommitMessage,
  WorkspaceSyncParams,
  SyncStatus,
  WorkspaceSyncResult,
  WorkspaceResolvePrompt,
  WorkspaceMergeParams,
  WorkspaceMergeResult,
  WorkspaceApplyResult,
  WorkspacePushParams,
  WorkspacePushResult,
  WorkspaceCreatePullRequestParams,
  WorkspaceCreatePullRequestResult,
} from './protocol.generated';

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
  /** `commit` with nothing to commit. */
  NothingToCommit: -32050,
  /** A pre-commit or commit-msg hook refused a commit; `data.output` is its output. */
  HookFailed: -32051,
  /** A merge or apply would touch files with uncommitted work in the checkout it changes; `data.files`. */
  DirtyCheckout: -32052,
  /** A merge, apply or continued sync meets conflicts; `data.files`. */
  Conflicts: -32053,
  /** The remote refused a push (not a fast-forward, say); `data.output` is the output of git. */
  PushRejected: -32054,
  /** No GitHub CLI; `data.compareUrl` opens the pull request in a browser. */
  GhNotFound: -32055,
  /** The GitHub CLI is not signed in; `data.compareUrl`. */
  GhAuthRequired: -32056,
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

// ---------------------------------------------------------------------------------------------
// Auth

/** `grove/auth/status`: the cached status, or a fresh one with `force`. */
export const AuthStatusRequest = new RequestType<AuthStatusParams, AuthStatus, void>('grove/auth/status');

/** `grove/auth/statusChanged`: sent whenever the status differs from the last one sent. */
export const AuthStatusChanged = new NotificationType<AuthStatus>('grove/auth/statusChanged');

/** `grove/auth/login`: starts `claude auth login`; answers at once, the CLI runs on. */
export const AuthLoginRequest = new RequestType<AuthLoginParams, AuthLoginResult, void>('grove/auth/login');

/** `grove/auth/loginInput`: the pasted code goes to the stdin of the CLI. */
export const AuthLoginInputRequest = new RequestType<AuthLoginInputParams, null, void>('grove/auth/loginInput');

/** `grove/auth/loginCancel`: the CLI and everything it started are killed. */
export const AuthLoginCancelRequest = new RequestType<AuthLoginCancelParams, null, void>('grove/auth/loginCancel');

/** `grove/auth/loginProgress`: one per line of CLI output; a prompt with no newline still arrives. */
export const AuthLoginProgress = new NotificationType<LoginProgress>('grove/auth/loginProgress');

/** `grove/auth/loginComplete`: exactly once per login, after the CLI exits. */
export const AuthLoginComplete = new NotificationType<LoginComplete>('grove/auth/loginComplete');

/** `grove/auth/validate`: one minimal authenticated CLI request. */
export const AuthValidateRequest = new RequestType<AuthValidateParams, AuthValidateResult, void>('grove/auth/validate');

// ---------------------------------------------------------------------------------------------
// Workspaces

/** `grove/workspace/create`: a new worktree on a new branch (or an existing one, `branch`); answers once setup has run. */
export const WorkspaceCreateRequest = new RequestType<WorkspaceCreateParams, Workspace, void>('grove/workspace/create');

/** `grove/workspace/checkName`: what `create` would say of a name (and a kept branch of that name), for the name step. */
export const WorkspaceCheckNameRequest = new RequestType<WorkspaceCheckNameParams, WorkspaceCheckNameResult, void>('grove/workspace/checkName');

/** `grove/workspace/list`: every workspace, or those of one repository. */
export const WorkspaceListRequest = new RequestType<WorkspaceListParams, WorkspaceListResult, void>('grove/workspace/list');

/** `grove/workspace/archive`: worktree removed (uncommitted work saved first with `force`), branch kept. */
export const WorkspaceArchiveRequest = new RequestType<WorkspaceArchiveParams, Workspace, void>('grove/workspace/archive');

/** `grove/workspace/restore`: the worktree back on its branch, with its saved work. */
export const WorkspaceRestoreRequest = new RequestType<WorkspaceIdParams, Workspace, void>('grove/workspace/restore');

/** `grove/workspace/delete`: archive, forget, and with `deleteBranch` the branch if merged. */
export const WorkspaceDeleteRequest = new RequestType<WorkspaceDeleteParams, null, void>('grove/workspace/delete');

/** `grove/workspace/changes`: files changed against `baseCommit`, uncommitted work included. */
export const WorkspaceChangesRequest = new RequestType<WorkspaceIdParams, WorkspaceChanges, void>('grove/workspace/changes');

/** `grove/workspace/fileAtBase`: a file as it was at the base commit, for a diff (Grove extension). */
export const WorkspaceFileAtBaseRequest = new RequestType<WorkspaceFileAtBaseParams, WorkspaceFileAtBase, void>('grove/workspace/fileAtBase');

/** `grove/repo/info`: the repository a path is in (Grove extension). */
export const RepoInfoRequest = new RequestType<RepoInfoParams, RepoInfo, void>('grove/repo/info');

/** `grove/workspace/setProfile`: the profile runs in the workspace use when they name none (null: the provider order). */
export const WorkspaceSetProfileRequest = new RequestType<WorkspaceSetProfileParams, Workspace, void>('grove/workspace/setProfile');

/** `grove/workspace/rules`: the always-allow rules of the workspace. */
export const WorkspaceRulesRequest = new RequestType<WorkspaceIdParams, WorkspaceRules, void>('grove/workspace/rules');

/** `grove/workspace/removeRule`: the rules left. */
export const WorkspaceRemoveRuleRequest = new RequestType<WorkspaceRemoveRuleParams, WorkspaceRules, void>('grove/workspace/removeRule');

/** `grove/workspace/changed`: after any change of a workspace. */
export const WorkspaceChanged = new NotificationType<WorkspaceChangedParams>('grove/workspace/changed');

/** `grove/workspace/setupOutput`: one per line the setup script prints. */
export const WorkspaceSetupOutput = new NotificationType<SetupOutput>('grove/workspace/setupOutput');

// ---------------------------------------------------------------------------------------------
// Landing: commit, sync with the base, merge, apply, push, pull requests

/** `grove/workspace/gitStatus`: where the workspace stands against its base, its remote and its pull request. */
export const WorkspaceGitStatusRequest = new RequestType<WorkspaceIdParams, GitStatus, void>('grove/workspace/gitStatus');

/** `grove/workspace/gitStatusChanged`: the GitStatus of a workspace changed (files, refs, runs). */
export const WorkspaceGitStatusChanged = new NotificationType<GitStatusChangedParams>('grove/workspace/gitStatusChanged');

/** `grove/workspace/commit`: every change of the worktree committed with the git identity of the user, hooks run. */
export const WorkspaceCommitRequest = new RequestType<WorkspaceCommitParams, WorkspaceCommitResult, void>('grove/workspace/commit');

/** `grove/workspace/commitMessage`: a commit message to prefill, from the prompts of the workspace. */
export const WorkspaceCommitMessageRequest = new RequestType<WorkspaceIdParams, WorkspaceCommitMessage, void>('grove/workspace/commitMessage');

/** `grove/workspace/sync`: the branch brought up to the tip of its base (rebase or merge). */
export const WorkspaceSyncRequest = new RequestType<WorkspaceSyncParams, WorkspaceSyncResult, void>('grove/workspace/sync');

/** `grove/workspace/syncContinue`: a sync stopped by conflicts goes on once they are resolved. */
export const WorkspaceSyncContinueRequest = new RequestType<WorkspaceIdParams, WorkspaceSyncResult, void>('grove/workspace/syncContinue');

/** `grove/workspace/syncAbort`: a sync stopped by conflicts undone; the branch as before. */
export const WorkspaceSyncAbortRequest = new RequestType<WorkspaceIdParams, null, void>('grove/workspace/syncAbort');

/** `grove/workspace/resolvePrompt`: the prompt of an agent run that resolves the conflicts of a stopped sync. */
export const WorkspaceResolvePromptRequest = new RequestType<WorkspaceIdParams, WorkspaceResolvePrompt, void>('grove/workspace/resolvePrompt');

/** `grove/workspace/merge`: the branch landed on its base. */
export const WorkspaceMergeRequest = new RequestType<WorkspaceMergeParams, WorkspaceMergeResult, void>('grove/workspace/merge');

/** `grove/workspace/apply`: the changes of the workspace brought into the main checkout, uncommitted. */
export const WorkspaceApplyRequest = new RequestType<WorkspaceIdParams, WorkspaceApplyResult, void>('grove/workspace/apply');

/** `grove/workspace/push`: the branch pushed to its remote, its upstream set. */
export const WorkspacePushRequest = new RequestType<WorkspacePushParams, WorkspacePushResult, void>('grove/workspace/push');

/** `grove/workspace/createPullRequest`: a pull request of the branch against its base, through the GitHub CLI. */
export const WorkspaceCreatePullRequestRequest = new RequestType<CreatePullRequestParams, CreatePullRequestResult, void>('grove/workspace/createPullRequest');

// ---------------------------------------------------------------------------------------------
// Auth profiles

/** `grove/profiles/list`: every profile (never a secret), the order per provider, the profile a new run would use. */
export const ProfilesListRequest = new RequestType<ProfilesListParams, ProfilesList, void>('grove/profiles/list');

/** `grove/profiles/add`: adds a profile, or replaces the one with the same id; bad input is InvalidParams with `data.reason`. */
export const ProfileAddRequest = new RequestType<ProfileAddParams, Profile, void>('grove/profiles/add');

/** `grove/profiles/remove`: the built-in claude-cli profile cannot be removed. */
export const ProfileRemoveRequest = new RequestType<ProfileIdParams, null, void>('grove/profiles/remove');

/** `grove/profiles/setOrder`: the profiles of a provider, first tried first. */
export const ProfileSetOrderRequest = new RequestType<ProfileSetOrderParams, null, void>('grove/profiles/setOrder');

/** `grove/profiles/check`: one minimal authenticated CLI request with the profile. */
export const ProfileCheckRequest = new RequestType<ProfileIdParams, ProfileCheckResult, void>('grove/profiles/check');

/** `grove/profiles/detect`: local model servers (Ollama, LM Studio) that answer, with their models. */
export const ProfilesDetectRequest = new RequestType<ProfilesDetectParams, ProfilesDetected, void>('grove/profiles/detect');

/** `grove/profiles/import`: copies CoderClaw / OpenClaw profiles whose ids Grove lacks. */
export const ProfilesImportRequest = new RequestType<ProfilesImportParams, ProfilesImported, void>('grove/profiles/import');
/** `grove/profiles/inherited` (Grove extension): the API keys in the sidecar's environment that could be profiles (names only). */
export const ProfilesInheritedRequest = new RequestType<ProfilesInheritedParams, InheritedKeys, void>('grove/profiles/inherited');
/** `grove/profiles/adoptInherited` (Grove extension): an inherited key added as a profile; its value never crosses the wire. */
export const ProfileAdoptRequest = new RequestType<ProfileAdoptParams, Profile, void>('grove/profiles/adoptInherited');

/** `grove/profiles/changed`: the whole listing, whenever any of it changes (in any window). */
export const ProfilesChanged = new NotificationType<ProfilesList>('grove/profiles/changed');

// ---------------------------------------------------------------------------------------------
// Agents

/** `grove/agents/list`: every agent CLI Grove knows, found or not, with what it can do and its sign-in. */
export const AgentsListRequest = new RequestType<AgentsListParams, AgentsList, void>('grove/agents/list');

/** `grove/agents/changed`: the whole list, when a CLI is found or lost, signs in or out, or changes version. */
export const AgentsChanged = new NotificationType<AgentsList>('grove/agents/changed');

/** `grove/agent/start`: a run, `queued` or `running`. */
export const AgentStartRequest = new RequestType<AgentStartParams, Run, void>('grove/agent/start');

/** `grove/agent/cancel`: interrupt, terminate, then kill the process group of the run. */
export const AgentCancelRequest = new RequestType<RunIdParams, null, void>('grove/agent/cancel');

/** `grove/agent/list`: runs, oldest first. */
export const AgentListRequest = new RequestType<AgentListParams, AgentListResult, void>('grove/agent/list');

/** `grove/agent/transcript`: every event of a run, also after a restart. */
export const AgentTranscriptRequest = new RequestType<RunIdParams, AgentTranscript, void>('grove/agent/transcript');

/** `grove/agent/event`: `seq` counts from 0 per run, with no gaps. */
export const AgentEventNotification = new NotificationType<AgentEventParams>('grove/agent/event');

/** `grove/agent/stateChanged`: on every state change of a run. */
export const AgentStateChanged = new NotificationType<Run>('grove/agent/stateChanged');

/** `grove/agent/request`: an agent waits for the user (a tool to allow, a question, a plan); its run is `waiting`. */
export const AgentRequestNotification = new NotificationType<AgentRequest>('grove/agent/request');

/** `grove/agent/requestDone`: a request was answered (in any window) or dropped because its run ended (Grove extension). */
export const AgentRequestDoneNotification = new NotificationType<AgentRequestDone>('grove/agent/requestDone');

/** `grove/agent/respond`: the answer reaches the agent; the run goes on. Unknown or already answered: NotFound. */
export const AgentRespondRequest = new RequestType<AgentRespondParams, null, void>('grove/agent/respond');

/** `grove/agent/pending`: the requests still unanswered, oldest first. */
export const AgentPendingRequest = new RequestType<AgentPendingParams, AgentPending, void>('grove/agent/pending');

/** `grove/agent/send`: a message to a running agent, as the next user message; a run not running is InvalidParams with `data.reason` notRunning. */
export const AgentSendRequest = new RequestType<AgentSendParams, null, void>('grove/agent/send');

/** `grove/agent/interrupt`: the current turn stops (the run ends cancelled); the session stays. */
export const AgentInterruptRequest = new RequestType<RunIdParams, null, void>('grove/agent/interrupt');

/** `grove/usage/get`: the rate-limit windows of the subscription (only while `usageInsights` is on). */
export const UsageGetRequest = new RequestType<UsageGetParams, UsageResult, void>('grove/usage/get');

/** `grove/secrets/set`: stores a plugin secret under `pluginSecrets` in the credential store of the CLI. */
export const SecretSetRequest = new RequestType<SecretSetParams, null, void>('grove/secrets/set');

/** `grove/secrets/get`. */
export const SecretGetRequest = new RequestType<SecretKeyParams, SecretValue, void>('grove/secrets/get');

/** `grove/secrets/delete`. */
export const SecretDeleteRequest = new RequestType<SecretKeyParams, null, void>('grove/secrets/delete');

/** `grove/secrets/list`: the keys, never the values. */
export const SecretListRequest = new RequestType<SecretListParams, SecretKeys, void>('grove/secrets/list');
