// Every `grove.*` identifier of the extension, declared once: the command ids package.json contributes, view ids, `when`-clause context keys, settings, and the tree items' context values; no vscode import.

/** Command ids, as contributed in package.json (src/test/contributes.test.ts keeps the two in step). */
export const Commands = {
  // The sidecar (sidecar/).
  restartSidecar: 'grove.restartSidecar',
  showLogs: 'grove.showLogs',
  // The account (account/).
  signIn: 'grove.signIn',
  signOut: 'grove.signOut',
  cancelSignIn: 'grove.cancelSignIn',
  pasteSignInCode: 'grove.pasteSignInCode',
  openSignInPage: 'grove.openSignInPage',
  copySignInLink: 'grove.copySignInLink',
  /** Checks the credentials (when signed in), then the status. */
  refreshStatus: 'grove.refreshStatus',
  /** Opens `grove.claudePath` in the settings editor's right tab (local or remote). */
  setClaudePath: 'grove.setClaudePath',
  // Auth profiles (profiles/).
  addProfile: 'grove.addProfile',
  checkProfile: 'grove.checkProfile',
  removeProfile: 'grove.removeProfile',
  /** A profile row's (hidden from the palette). */
  moveProfileUp: 'grove.moveProfileUp',
  /** A profile row's (hidden from the palette). */
  moveProfileDown: 'grove.moveProfileDown',
  importProfiles: 'grove.importProfiles',
  setWorkspaceProfile: 'grove.setWorkspaceProfile',
  // Workspaces (workspaces/).
  newWorkspace: 'grove.newWorkspace',
  refreshWorkspaces: 'grove.refreshWorkspaces',
  openWorkspaceInNewWindow: 'grove.openWorkspaceInNewWindow',
  openWorkspaceTerminal: 'grove.openWorkspaceTerminal',
  showWorkspaceChanges: 'grove.showWorkspaceChanges',
  /** A changed file's row (hidden from the palette). */
  openChange: 'grove.openChange',
  archiveWorkspace: 'grove.archiveWorkspace',
  restoreWorkspace: 'grove.restoreWorkspace',
  deleteWorkspace: 'grove.deleteWorkspace',
  // Agents (agents/).
  runAgent: 'grove.runAgent',
  openAgentPanel: 'grove.openAgentPanel',
  cancelRun: 'grove.cancelRun',
  /** Opens the panel of the agent that has waited longest for an answer (the waiting item of the status bar). */
  openWaitingAgent: 'grove.openWaitingAgent',
  /** Lists a workspace's always-allow rules and removes those picked. */
  manageRules: 'grove.manageRules',
  // Landing a workspace's work (landing/).
  commitWorkspace: 'grove.commitWorkspace',
  syncWorkspace: 'grove.syncWorkspace',
  mergeWorkspace: 'grove.mergeWorkspace',
  applyWorkspace: 'grove.applyWorkspace',
  pushWorkspace: 'grove.pushWorkspace',
  createPullRequest: 'grove.createPullRequest',
  openPullRequest: 'grove.openPullRequest',
  /** Starts an agent run with the sidecar's prompt for the conflicts of a stopped sync. */
  resolveConflicts: 'grove.resolveConflicts',
  continueSync: 'grove.continueSync',
  abortSync: 'grove.abortSync',
  // Usage (usage/).
  refreshUsage: 'grove.refreshUsage',
  // Plugin secrets (secrets/).
  setSecret: 'grove.setSecret',
  deleteSecret: 'grove.deleteSecret',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Commands that only rows and menus run: package.json hides them from the palette (`when: false`). */
export const PALETTE_HIDDEN: readonly CommandId[] = [Commands.openChange, Commands.moveProfileUp, Commands.moveProfileDown];

/** View ids, as contributed in package.json. */
export const Views = {
  account: 'grove.account',
  workspaces: 'grove.workspaces',
  usage: 'grove.usage',
} as const;

/** The command VS Code makes for every view: shows and focuses it, wherever it is and even when collapsed. */
export function focusViewCommand(view: (typeof Views)[keyof typeof Views]): string {
  return `${view}.focus`;
}

/** Other ids the extension registers with VS Code. */
export const Ids = {
  /** The agent panel's webview type. */
  agentPanel: 'grove.agentPanel',
  /** The sign-in item of the status bar. */
  statusBarItem: 'grove.status',
  /** The status-bar item counting agents that wait for an answer. */
  waitingStatusBarItem: 'grove.waiting',
  /** Global state: the parallel-agents notice was shown once. */
  parallelNoticeShown: 'grove.parallelAgentsNoticeShown',
  /** Global state: the CoderClaw/OpenClaw import was offered once. */
  importOffered: 'grove.profilesImportOffered',
  /** Global state: the variables of inherited API keys offered as profiles (each once). */
  inheritedOffered: 'grove.inheritedKeysOffered',
} as const;

/** `when`-clause context keys the extension sets. */
export const ContextKeys = {
  /** account/accountModel's AccountContext (welcome views, the palette). */
  authState: 'grove.authState',
  /** A sign-in of this window is under way. */
  signingIn: 'grove.signingIn',
  /** An agent run of this window is queued or running (Cancel Agent Run does something). */
  agentRunning: 'grove.agentRunning',
  /** An agent waits for an answer (Open Waiting Agent does something). */
  agentWaiting: 'grove.agentWaiting',
  hasRepository: 'grove.hasRepository',
  hasWorkspace: 'grove.hasWorkspace',
  hasActiveWorkspace: 'grove.hasActiveWorkspace',
  hasArchivedWorkspace: 'grove.hasArchivedWorkspace',
  // Landing (landing/landingModel's landingContext): some active workspace offers the action now.
  canCommit: 'grove.canCommit',
  canSync: 'grove.canSync',
  canMerge: 'grove.canMerge',
  canApply: 'grove.canApply',
  canPush: 'grove.canPush',
  canCreatePullRequest: 'grove.canCreatePullRequest',
  hasPullRequest: 'grove.hasPullRequest',
  /** A workspace's sync stopped at conflicts an agent can resolve. */
  hasConflicts: 'grove.hasConflicts',
  /** A workspace's sync stopped (Continue and Abort do something). */
  syncStopped: 'grove.syncStopped',
} as const;

/** Settings, as contributed in package.json (the `grove` section and its keys). */
export const Settings = {
  section: 'grove',
  serverPath: 'grove.server.path',
  claudePath: 'grove.claudePath',
  maxParallelAgents: 'grove.maxParallelAgents',
  usageInsights: 'grove.usageInsights.enabled',
  commitAfterEachRun: 'grove.commitAfterEachRun',
  syncMethod: 'grove.syncMethod',
  mergeMethod: 'grove.mergeMethod',
  remote: 'grove.remote',
  ghPath: 'grove.ghPath',
} as const;

/** The key of a setting inside the `grove` section ("usageInsights.enabled"). */
export function settingKey(setting: (typeof Settings)[Exclude<keyof typeof Settings, 'section'>]): string {
  return setting.slice(Settings.section.length + 1);
}

/** Tree items' context values (`viewItem` in package.json's `when` clauses, matched with `==` or regular expressions). */
export const ContextValues = {
  // The Account view.
  stateChecking: 'grove.state.checking',
  stateError: 'grove.state.error',
  stateSigningIn: 'grove.state.signingIn',
  stateCliMissing: 'grove.state.cliMissing',
  stateSignInAgain: 'grove.state.signInAgain',
  stateSignedIn: 'grove.state.signedIn',
  stateSignedOut: 'grove.state.signedOut',
  signIn: 'grove.signIn',
  loginCancel: 'grove.login.cancel',
  loginOutput: 'grove.login.output',
  loginUrl: 'grove.login.url',
  loginCopy: 'grove.login.copy',
  loginPaste: 'grove.login.paste',
  validation: 'grove.validation',
  searched: 'grove.searched',
  install: 'grove.install',
  setting: 'grove.setting',
  lastFailure: 'grove.lastFailure',
  method: 'grove.method',
  accountName: 'grove.accountName',
  cli: 'grove.cli',
  checkedAt: 'grove.checkedAt',
  /** A provider of auth profiles. */
  provider: 'grove.provider',
  /** An auth profile; followed by `.removable`, `.up`, `.down` as they apply (profilesModel's profileContextValue). */
  profile: 'grove.profile',
  // The Workspaces view.
  repository: 'grove.repository',
  /** Followed by `WORKSPACE_HAS_RUNS` when the workspace has agent runs, then the `LANDING_FLAGS` of the landing actions it offers. */
  workspaceActive: 'grove.workspace.active',
  workspaceArchived: 'grove.workspace.archived',
  changedFile: 'grove.changedFile',
  /** A file of a workspace whose sync stopped at conflicts in it. */
  conflictedFile: 'grove.conflictedFile',
  message: 'grove.message',
} as const;

/** Appended to a workspace's context value when it has agent runs. */
export const WORKSPACE_HAS_RUNS = '.hasRuns';

/**
 * Appended, in this order, to an active workspace's context value for each landing action it offers
 * now (landing/landingModel's landingContextSuffix); `when` clauses match them as `\.flag\b` (no flag is the start of another followed by a letter).
 */
export const LANDING_FLAGS = {
  commit: '.commit',
  sync: '.sync',
  merge: '.merge',
  apply: '.apply',
  push: '.push',
  createPullRequest: '.createPr',
  openPullRequest: '.openPr',
  /** Conflicts an agent can resolve. */
  conflicts: '.conflicts',
  /** A sync stopped: Continue and Abort. */
  syncStopped: '.syncStopped',
  /** The branch's work is on its base: Archive and Delete. */
  merged: '.merged',
} as const;

/** Every context value a tree item may have (the table's, workspaces with runs, and active ones with any landing flags). */
export function allContextValues(): string[] {
  const values: string[] = Object.values(ContextValues);
  const active: string[] = [];
  for (const runs of ['', WORKSPACE_HAS_RUNS]) for (const flags of landingFlagSets()) active.push(`${ContextValues.workspaceActive}${runs}${flags}`);
  return [...values, ...profileContextValues(), ...active, `${ContextValues.workspaceArchived}${WORKSPACE_HAS_RUNS}`];
}

/** Every ordered selection of LANDING_FLAGS, joined ('' included). */
function landingFlagSets(): string[] {
  let sets = [''];
  for (const flag of Object.values(LANDING_FLAGS)) sets = sets.flatMap((s) => [s, `${s}${flag}`]);
  return sets;
}

/** Every context value a profile row may have: `grove.profile` with `.removable`, `.up`, `.down` (in that order) as they apply. */
export function profileContextValues(): string[] {
  const out: string[] = [];
  for (const removable of ['', '.removable'])
    for (const up of ['', '.up']) for (const down of ['', '.down']) out.push(`${ContextValues.profile}${removable}${up}${down}`);
  return out;
}

/** Commands the extension runs on itself, never contributed (no palette, no menu). */
export const InternalCommands = {
  /** `(workspaceId, runId)`: the panel showed this finished run, so the tree's "new result" goes (registered by the tree). */
  markResultSeen: 'grove.internal.markResultSeen',
  /** `(workspaceId, runId)`: a result row of the Workspaces tree opens the run's agent panel (the result seen). */
  openRunResult: 'grove.internal.openRunResult',
} as const;
