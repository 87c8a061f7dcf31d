// Generated from server/src/protocol.rs by ts-rs: the type of every param, result and notification of
// Grove's protocol. Do not edit: change protocol.rs, then run
// `GROVE_WRITE_PROTOCOL_TS=1 cargo test -p grove-server --lib protocol` (cargo xtask check fails while it is stale).

/**
 * Settings, from `initializationOptions` and `workspace/didChangeConfiguration`
 * (`{settings: {grove: GroveSettings}}`). Unknown fields are ignored.
 */
export type GroveSettings = { claudePath?: string, maxParallelAgents?: number, worktreeRoot?: string, usageInsights?: boolean, 
/**
 * Prefix of workspace branches; default `grove/` (Grove extension).
 */
branchPrefix?: string, 
/**
 * Script run in each new worktree; default `.grove/setup.sh` if present (Grove extension).
 */
setupScript?: string, 
/**
 * Seconds a setup script may run before it is stopped; default 600 (Grove extension).
 */
setupTimeoutSeconds?: number, 
/**
 * A run that changed files ends with a commit of them; default false (Grove extension).
 */
commitAfterEachRun?: boolean, 
/**
 * How `grove/workspace/sync` brings in the base; default `rebase` (Grove extension).
 */
syncMethod?: SyncMethod, 
/**
 * How `grove/workspace/merge` lands a branch; default `merge` (Grove extension).
 */
mergeMethod?: MergeMethod, 
/**
 * The remote `push` and pull requests use; default `origin` (Grove extension).
 */
remote?: string, 
/**
 * The GitHub CLI to use; else `gh` on `PATH` (Grove extension).
 */
ghPath?: string, 
/**
 * Seconds an agent CLI that can wait forever on an unanswering model server may print
 * nothing before its run is stopped; default 120 (Grove extension).
 */
agentStallSeconds?: number, };

/**
 * Where the claude CLI is and which version it reports.
 */
export type CliInfo = { path: string, version: string | null, };

/**
 * Where an authentication failure was seen.
 */
export type FailureSource = "agent" | "validate" | "usage" | "login";

export type AuthFailure = { message: string, source: FailureSource, at: string, };

/**
 * The CLI's sign-in state as `claude auth status --json` reports it.
 */
export type AuthStatus = { loggedIn: boolean, authMethod: string, apiProvider: string | null, email: string | null, orgName: string | null, subscriptionType: string | null, cli: CliInfo, 
/**
 * RFC 3339.
 */
checkedAt: string, lastFailure: AuthFailure | null, };

export type AuthStatusParams = { 
/**
 * Run `claude auth status --json` again instead of answering from the cache.
 */
force?: boolean, };

/**
 * How to sign in: a Claude subscription (default), an Anthropic Console account, or SSO.
 */
export type LoginMethod = "claudeai" | "console" | "sso" | "browser" | "device";

export type AuthLoginParams = { method?: LoginMethod, email?: string, 
/**
 * The provider whose sign-in this is (default: the agent's first; else the default agent's).
 */
provider?: string, 
/**
 * Grove's own sign-in into profile `<provider>:<profile>` (a profile kind with `signIn:
 * "grove"`); without it, the agent CLI's own sign-in.
 */
profile?: string, 
/**
 * The agent CLI whose sign-in this is (`grove/agents/list`'s `id`): its first provider,
 * when `provider` is not given (Grove extension).
 */
agent?: string, };

export type AuthLoginResult = { loginId: string, };

export type AuthLoginInputParams = { loginId: string, code: string, };

export type AuthLoginCancelParams = { loginId: string, };

export type OutputStream = "stdout" | "stderr";

export type LoginProgress = { loginId: string, 
/**
 * The agent CLI whose sign-in this is (Grove extension).
 */
agent?: string, stream: OutputStream, line: string, 
/**
 * The first URL in the line, if any.
 */
url: string | null, };

export type LoginComplete = { loginId: string, 
/**
 * The agent CLI whose sign-in this is (Grove extension).
 */
agent?: string, success: boolean, error: string | null, };

export type AuthValidateParams = Record<symbol, never>;

export type AuthValidateResult = { ok: boolean, message: string | null, };

export type WorkspaceState = "active" | "archived";

/**
 * How the workspace's setup script ended (Grove extension).
 */
export type SetupResult = { success: boolean, exitCode: number | null, message: string | null, };

/**
 * A git worktree on its own branch, where one agent works.
 */
export type Workspace = { id: string, name: string, 
/**
 * The main checkout.
 */
repoPath: string, 
/**
 * The worktree directory ("" while archived).
 */
path: string, branch: string, baseRef: string, baseCommit: string, state: WorkspaceState, createdAt: string, 
/**
 * First of the 10 ports reserved for this workspace (`GROVE_PORT`; Grove extension).
 */
port: number, 
/**
 * The last run of the setup script, if one ran (Grove extension).
 */
setup: SetupResult | null, 
/**
 * The auth profile a run in this workspace uses when it names none
 * (`grove/workspace/setProfile`).
 */
profile?: string, };

export type WorkspaceCreateParams = { repoPath: string, name?: string, baseRef?: string, 
/**
 * An existing local branch (for example a kept `grove/<name>`) to put the worktree on,
 * instead of making a new one (Grove addition).
 */
branch?: string, };

export type WorkspaceCheckNameParams = { repoPath: string, name: string, };

export type WorkspaceCheckNameResult = { 
/**
 * `create` would take this name.
 */
ok: boolean, 
/**
 * Why not, in one line.
 */
message: string | null, 
/**
 * A local branch of that name that nothing uses: `create` with `branch` continues on it.
 */
keptBranch: string | null, };

/**
 * What an agent CLI can do, for the editor to show only the controls it honors.
 */
export type AgentCapabilities = { 
/**
 * A later turn continues the session.
 */
resume: boolean, 
/**
 * It asks before a tool runs (`grove/agent/request`).
 */
permissions: boolean, 
/**
 * It asks the user questions and has plans approved.
 */
questions: boolean, 
/**
 * A message reaches the running turn (`grove/agent/send`).
 */
steer: boolean, 
/**
 * A turn stops and the session stays (`grove/agent/interrupt`).
 */
interrupt: boolean, cost: CostKind, };

/**
 * A provider an agent CLI runs with, for people (Grove extension).
 */
export type AgentProvider = { id: string, 
/**
 * "Anthropic", "LM Studio", ...
 */
label: string, 
/**
 * A codicon name for its row.
 */
icon: string, };

/**
 * One kind of credential "Add Profile" offers (Grove extension).
 */
export type ProfileKind = { 
/**
 * Unique among every agent's kinds.
 */
id: string, label: string, detail: string, provider: string, type: ProfileType, secret: SecretAsk, 
/**
 * Whether a base URL is asked for.
 */
askUrl: boolean, defaultUrl?: string, secretPrompt: string, secretPlaceholder: string, signIn?: KindSignIn, };

/**
 * Whether a profile kind asks for a secret.
 */
export type SecretAsk = "required" | "optional" | "none";

/**
 * How a profile kind is added other than by `grove/profiles/add`.
 */
export type KindSignIn = "grove" | "cli";

/**
 * What a run's cost is told in.
 */
export type CostKind = "money" | "tokens" | "none";

/**
 * How a CLI's own sign-in can be done.
 */
export type SignInMethod = "browser" | "paste" | "deviceCode" | "apiKey" | "terminal";

/**
 * A CLI's own sign-in, as its profile (`<provider>:<cli>`) says.
 */
export type AgentSignIn = { 
/**
 * `signedIn`, `signedOut`, `checking`, or `unknown` (not found, say).
 */
status: string, 
/**
 * Who, in the CLI's words, when signed in.
 */
account?: string, methods: Array<SignInMethod>, 
/**
 * With method `terminal`: the command line that starts the CLI's own interactive sign-in,
 * for the editor to run in a terminal (Grove extension).
 */
terminal?: Array<string>, };

/**
 * An agent CLI Grove can run, as found on this machine (`grove/agents/list`).
 */
export type AgentCli = { id: string, label: string, found: boolean, path?: string, version?: string, 
/**
 * How to install it, and the setting that points at it, in one sentence.
 */
installHint: string, 
/**
 * The setting naming its binary (`claudePath`, ...).
 */
setting: string, capabilities: AgentCapabilities, signIn: AgentSignIn, 
/**
 * The providers whose profiles it runs with.
 */
providers: Array<string>, 
/**
 * Model aliases to offer for profiles that are not endpoints (an endpoint offers its own);
 * absent: the CLI's default only.
 */
models?: Array<string>, 
/**
 * The profile of its own sign-in (`<provider>:<name>`): listed by Grove, never removed
 * (Grove extension).
 */
ownProfile: string, 
/**
 * Its providers for people, in the order the Account view lists them (Grove extension).
 */
providerInfo: Array<AgentProvider>, 
/**
 * The kinds of profile "Add Profile" offers for it (Grove extension).
 */
profileKinds: Array<ProfileKind>, };

export type AgentsListParams = Record<symbol, never>;

export type AgentsList = { agents: Array<AgentCli>, };

export type WorkspaceListParams = { repoPath?: string, };

export type WorkspaceListResult = { workspaces: Array<Workspace>, };

export type WorkspaceArchiveParams = { id: string, force?: boolean, };

export type WorkspaceIdParams = { id: string, };

export type WorkspaceDeleteParams = { id: string, deleteBranch?: boolean, force?: boolean, };

/**
 * One changed file against the workspace's base commit.
 */
export type FileChange = { path: string, 
/**
 * `added`, `modified`, `deleted`, `renamed`, `copied`, `typeChanged` or `untracked`.
 */
status: string, 
/**
 * Lines added and deleted; null for binary files, and for untracked files that are not
 * regular files (links, FIFOs, devices: never opened) or are over 8 MiB.
 */
additions: number | null, deletions: number | null, 
/**
 * The path before a rename or copy (Grove extension).
 */
oldPath?: string, };

export type WorkspaceChanges = { files: Array<FileChange>, ahead: number, behind: number, };

export type WorkspaceFileAtBaseParams = { id: string, 
/**
 * Relative to the worktree, as `changes` lists it.
 */
path: string, };

export type WorkspaceFileAtBase = { 
/**
 * The file's text at `baseCommit`; null when it did not exist there, is binary, or is larger
 * than 16 MiB (then `binary` is true).
 */
content: string | null, binary: boolean, };

export type RepoInfoParams = { 
/**
 * Any path inside a repository or one of its worktrees.
 */
path: string, };

export type RepoInfo = { 
/**
 * The top of the work tree `path` is in (a linked worktree's own folder for a worktree).
 */
root: string, 
/**
 * The repository's main checkout.
 */
mainRoot: string, 
/**
 * Whether `root` is a linked worktree rather than the main checkout.
 */
isWorktree: boolean, 
/**
 * The branch checked out in `root`; null when `HEAD` is detached.
 */
branch: string | null, 
/**
 * Uncommitted and untracked files of `root` (ignored files are not listed), relative to it.
 */
dirtyFiles: Array<string>, 
/**
 * The repository's local branches, by name.
 */
branches: Array<string>, };

export type WorkspaceChangedParams = { workspace: Workspace, 
/**
 * True when the workspace was deleted (Grove extension).
 */
removed: boolean, };

export type SetupOutput = { workspaceId: string, stream: OutputStream, line: string, };

export type RunState = "queued" | "running" | "waiting" | "succeeded" | "failed" | "cancelled" | "authRequired";

/**
 * One agent turn in a workspace.
 */
export type Run = { runId: string, workspaceId: string, state: RunState, prompt: string, sessionId: string | null, startedAt: string | null, endedAt: string | null, costUsd: number | null, error: string | null, 
/**
 * When the run was asked for (Grove extension).
 */
createdAt: string, 
/**
 * The CLI saved this run's session (a turn reached the model), so a later turn may resume
 * it (Grove extension).
 */
resumable: boolean, 
/**
 * The provider, auth profile and model this run used (absent on runs older than profiles).
 */
provider?: string, profile?: string, model?: string, 
/**
 * After an authentication failure or a rate limit: the next usable profile, for "Retry with
 * <profile>" (Grove extension).
 */
retryProfile?: string, 
/**
 * The agent CLI that runs it (`grove/agents/list`'s `id`; absent only for runs of earlier
 * sidecars, read from their provider).
 */
agent?: string, };

/**
 * Tokens a turn used.
 */
export type TokenUsage = { inputTokens: number, cachedInputTokens: number, outputTokens: number, };

/**
 * What the agent did, normalized from the CLI's stream-json lines.
 */
export type AgentEvent = { "kind": "init", sessionId: string, model: string, cwd: string, } | { "kind": "text", text: string, } | { "kind": "textDelta", text: string, } | { "kind": "notice", message: string, } | { "kind": "toolUse", id: string, name: string, input: unknown, } | { "kind": "toolResult", toolUseId: string, isError: boolean, content: string, 
/**
 * The tool never ran: the user denied its permission request;
 * `content` holds the message given (Grove addition).
 */
denied?: boolean, } | { "kind": "retry", attempt: number, errorStatus: number | null, error: string | null, } | { "kind": "result", isError: boolean, text: string | null, costUsd: number | null, durationMs: number | null, 
/**
 * Tokens, as an agent CLI that reports no cost reports them: the thread's running total
 * (Grove extension).
 */
usage?: TokenUsage, } | { "kind": "stderr", line: string, } | { "kind": "rateLimit", status: string, limitType: string | null, resetsAt: string | null, } | { "kind": "other", type: string, 
/**
 * The line itself when it was not JSON (Grove extension).
 */
line?: string, };

export type AgentStartParams = { workspaceId: string, prompt: string, model?: string, permissionMode?: string, newSession?: boolean, 
/**
 * The auth profile to run with (`provider:name`); else `model@profile`, the workspace's
 * default, then the provider's order.
 */
profile?: string, 
/**
 * The agent CLI to run (`grove/agents/list`'s `id`); else the one the profile's provider
 * implies, else the default (Grove extension).
 */
agent?: string, };

export type RunIdParams = { runId: string, };

export type AgentListParams = { workspaceId?: string, };

export type AgentListResult = { runs: Array<Run>, };

export type AgentTranscript = { events: Array<AgentEvent>, };

export type AgentEventParams = { runId: string, workspaceId: string, seq: number, event: AgentEvent, };

export type UsageGetParams = { 
/**
 * Ask the API now instead of answering from the 5-minute cache.
 */
force?: boolean, };

/**
 * One rate-limit window: how much of it is used, and when it resets.
 */
export type UsageWindow = { 
/**
 * The API's key: `five_hour`, `seven_day`, `seven_day_opus`, `seven_day_sonnet`.
 */
id: string, label: string, 
/**
 * Percent used.
 */
utilization: number, resetsAt: string | null, };

export type UsageResult = { subscriptionType: string | null, rateLimitTier: string | null, windows: Array<UsageWindow>, extraUsage: Record<string, unknown> | null, fetchedAt: string, 
/**
 * True when the last request failed and this is the last good answer (Grove extension).
 */
stale: boolean, };

export type SecretSetParams = { key: string, value: string, };

export type SecretKeyParams = { key: string, };

export type SecretValue = { value: string | null, };

export type SecretListParams = Record<symbol, never>;

export type SecretKeys = { keys: Array<string>, };

/**
 * How an auth profile authenticates.
 */
export type ProfileType = "cli" | "token" | "api_key" | "endpoint" | "oauth" | "unknown";

/**
 * What a profile is good for right now.
 */
export type ProfileStatus = "ok" | "expiring" | "expired" | "static" | "missing" | "cooldown" | "unreachable" | "checking" | "unusable";

export type ProfileFailure = { message: string, 
/**
 * RFC 3339.
 */
at: string, };

/**
 * An auth profile as the client sees it: never its secret.
 */
export type Profile = { 
/**
 * `provider:name`.
 */
id: string, provider: string, type: ProfileType, label?: string, baseUrl?: string, status: ProfileStatus, 
/**
 * RFC 3339, as the following times.
 */
expiresAt?: string, cooldownUntil?: string, lastUsed?: string, lastFailure?: ProfileFailure, 
/**
 * The status in words, e.g. "Signed in as a@b.c", "Expires in 3 h" (Grove extension).
 */
detail?: string, 
/**
 * For an endpoint: the models it served when last asked (Grove extension).
 */
models?: Array<string>, 
/**
 * The agent CLIs that can run with it (`grove/agents/list`'s ids).
 */
agents: Array<string>, };

export type ProfilesListParams = Record<symbol, never>;

/**
 * Every profile, the order per provider, and which profile a new run would use.
 */
export type ProfilesList = { profiles: Array<Profile>, order: Record<string, string[]>, 
/**
 * The profile a run that names none (in a workspace without a default) would use (Grove
 * extension).
 */
active: string | null, 
/**
 * Profiles of CoderClaw / OpenClaw stores on this machine that `import` would copy (Grove
 * extension).
 */
importable: Array<string>, };

export type ProfileAddParams = { provider: string, name: string, type: ProfileType, 
/**
 * The token or key; never returned, logged or put on a command line.
 */
secret?: string, baseUrl?: string, label?: string, };

export type ProfileIdParams = { id: string, };

export type ProfileSetOrderParams = { provider: string, ids: Array<string>, };

export type ProfileCheckResult = { ok: boolean, message: string, };

export type ProfilesDetectParams = Record<symbol, never>;

export type DetectedEndpoint = { provider: string, baseUrl: string, models: Array<string>, };

export type ProfilesDetected = { endpoints: Array<DetectedEndpoint>, };

export type ProfilesImportParams = Record<symbol, never>;

export type ProfilesImported = { imported: Array<string>, skipped: Array<string>, 
/**
 * Why each skipped id was skipped, in words (Grove extension).
 */
reasons: Record<string, string>, };

export type ProfilesInheritedParams = Record<symbol, never>;

/**
 * An API key the sidecar inherited in its environment, which no run gets: its variable's name
 * and the kind of profile it would make (never its value).
 */
export type InheritedKey = { 
/**
 * `OPENAI_API_KEY`, ...
 */
variable: string, provider: string, 
/**
 * The id of its `ProfileKind`.
 */
kind: string, 
/**
 * The agent CLI whose kind it is.
 */
agent: string, };

export type InheritedKeys = { keys: Array<InheritedKey>, };

export type ProfileAdoptParams = { 
/**
 * One of `grove/profiles/inherited`'s variables.
 */
variable: string, 
/**
 * The new profile's name (`<provider>:<name>`).
 */
name: string, };

export type WorkspaceSetProfileParams = { id: string, 
/**
 * A profile id, or null for none (the provider's order).
 */
profile: string | null, };

/**
 * What an agent asks the user.
 */
export type RequestKind = "tool" | "question" | "plan";

/**
 * A request of a running agent, waiting for `grove/agent/respond`.
 */
export type AgentRequest = { runId: string, workspaceId: string, requestId: string, kind: RequestKind, toolName: string, 
/**
 * The tool's input (for a plan, the plan: `{plan: string}`).
 */
input: unknown, 
/**
 * One line saying what the tool would do.
 */
description: string, 
/**
 * The CLI's suggestions (e.g. rules to add), as it sent them.
 */
suggestions: unknown, 
/**
 * RFC 3339 (Grove extension).
 */
createdAt: string, 
/**
 * Whether `allowAlways` may answer it (Grove extension): never for questions and plans,
 * nor for a command run through a shell, an interpreter, a wrapper or a path.
 */
alwaysAllow: boolean, 
/**
 * The rule `allowAlways` would add, when it is offered.
 */
alwaysAllowRule?: Rule, 
/**
 * Why `allowAlways` is not offered, in words for the user, when it is not.
 */
alwaysAllowWhy?: string, };

export type AgentRequestDone = { runId: string, requestId: string, 
/**
 * `allow`, `deny`, `allowAlways`, or `cancelled` (the run ended first).
 */
outcome: string, };

export type Behavior = "allow" | "deny" | "allowAlways";

export type AgentRespondParams = { runId: string, requestId: string, behavior: Behavior, 
/**
 * The input to use instead (an edited command, say): a JSON object, as a tool's input is.
 */
updatedInput?: Record<string, unknown>, 
/**
 * For a deny: what the agent is told.
 */
message?: string, 
/**
 * For a question: the chosen label per question text.
 */
answers?: Record<string, string>, };

export type AgentPendingParams = { workspaceId?: string, };

export type AgentPending = { requests: Array<AgentRequest>, };

export type AgentSendParams = { runId: string, text: string, };

/**
 * An "always allow" rule of a workspace: a tool, and for `Bash` the command's first word.
 */
export type Rule = { toolName: string, prefix?: string, };

export type WorkspaceRules = { rules: Array<Rule>, };

export type WorkspaceRemoveRuleParams = { id: string, rule: Rule, };

/**
 * How `sync` brings the base's new commits into a workspace's branch.
 */
export type SyncMethod = "rebase" | "merge";

/**
 * How `merge` lands a branch on its base.
 */
export type MergeMethod = "merge" | "squash" | "rebase";

/**
 * A git operation a worktree is in the middle of (stopped by conflicts).
 */
export type GitOperation = "rebase" | "merge";

/**
 * The branch's remote-tracking branch.
 */
export type Upstream = { remote: string, 
/**
 * The branch's name on the remote.
 */
branch: string, 
/**
 * Commits of the branch the remote-tracking branch lacks, and the other way round.
 */
ahead: number, behind: number, };

/**
 * A workspace's pull request, as the GitHub CLI last reported it.
 */
export type PullRequest = { url: string, number: number, 
/**
 * As gh says it: `OPEN`, `CLOSED` or `MERGED`.
 */
state: string, };

/**
 * Where a workspace stands against its base, its remote and its pull request.
 */
export type GitStatus = { branch: string, 
/**
 * The base branch (or the base commit when the base was a detached `HEAD`).
 */
base: string, 
/**
 * Commits of the branch the base lacks, and of the base the branch lacks.
 */
ahead: number, behind: number, 
/**
 * Uncommitted files (untracked included, ignored not).
 */
uncommitted: number, 
/**
 * A rebase or merge stopped by conflicts, or null.
 */
operation: GitOperation | null, 
/**
 * Paths with unresolved conflicts, relative to the worktree.
 */
conflicted: Array<string>, upstream: Upstream | null, pullRequest: PullRequest | null, 
/**
 * The branch's work is on the base: its tip is reachable from the base, or Grove squashed
 * it there.
 */
merged: boolean, };

export type GitStatusChangedParams = { id: string, status: GitStatus, };

export type WorkspaceCommitParams = { id: string, message: string, };

export type WorkspaceCommitResult = { 
/**
 * The new commit's id.
 */
commit: string, 
/**
 * The paths it changed, relative to the worktree.
 */
files: Array<string>, };

export type WorkspaceCommitMessage = { message: string, };

export type WorkspaceSyncParams = { id: string, 
/**
 * Default: the `syncMethod` setting.
 */
method?: SyncMethod, };

export type SyncStatus = "done" | "upToDate" | "conflicts";

export type WorkspaceSyncResult = { status: SyncStatus, 
/**
 * The conflicted paths when `status` is `conflicts`.
 */
conflicted: Array<string>, };

export type WorkspaceResolvePrompt = { prompt: string, };

export type WorkspaceMergeParams = { id: string, 
/**
 * Default: the `mergeMethod` setting.
 */
method?: MergeMethod, 
/**
 * The merge or squash commit's message; default: one Grove writes.
 */
message?: string, };

export type WorkspaceMergeResult = { 
/**
 * The base's new tip.
 */
commit: string, 
/**
 * The base branch.
 */
base: string, };

export type WorkspaceApplyResult = { 
/**
 * The paths changed in the main checkout, relative to it.
 */
files: Array<string>, };

export type WorkspacePushParams = { id: string, 
/**
 * Replace the remote branch if it is still where it was last fetched.
 */
forceWithLease?: boolean, };

export type WorkspacePushResult = { remote: string, 
/**
 * The branch's name on the remote.
 */
branch: string, };

export type WorkspaceCreatePullRequestParams = { id: string, title: string, body: string, draft?: boolean, };

export type WorkspaceCreatePullRequestResult = { url: string, number: number, };

/** Every request that carries a secret: its params' secret fields, and whether its result is one (`Secrets` in protocol.rs). */
export const SECRET_FIELDS: Readonly<Record<string, { params: readonly string[]; result: boolean }>> = {
  'grove/secrets/set': { params: ['value'], result: false },
  'grove/secrets/get': { params: [], result: true },
  'grove/auth/loginInput': { params: ['code'], result: false },
  'grove/profiles/add': { params: ['secret'], result: false },
};
