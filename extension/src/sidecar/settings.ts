// Builds the GroveSettings the sidecar receives from the editor's `grove.*` configuration; no vscode import.
import type { GroveSettings } from '../common/protocol';

/** The sidecar's own default for `setupScript` (package.json shows it as the default). */
export const DEFAULT_SETUP_SCRIPT = '.grove/setup.sh';

/** Reads one key of the `grove` configuration section (e.g. "claudePath"). */
export type ConfigGetter = (key: string) => unknown;

/** The extension's own setting among the `grove.*Path` ones: where the sidecar itself is, never sent to it. */
export const SERVER_PATH_KEY = 'serverPath';

/** The settings the sidecar receives: GroveSettings, and each `grove.*Path` setting as it is (an agent CLI's binary: `claudePath`, …). */
export type SentSettings = GroveSettings & Partial<Record<`${string}Path`, string>>;

/**
 * The settings object for `initializationOptions` and `workspace/didChangeConfiguration`. `keys`:
 * the `grove` configuration's keys; each one ending in `Path` (but `serverPath`) that holds a path
 * is sent trimmed (empty: the sidecar finds the binary itself), so that a new agent CLI's setting
 * needs nothing here.
 */
export function groveSettings(get: ConfigGetter, keys: readonly string[] = []): SentSettings {
  const settings: SentSettings = {};
  for (const key of new Set(['claudePath', ...keys])) {
    if (!key.endsWith('Path') || key === SERVER_PATH_KEY || key.includes('.')) continue;
    const path = nonEmptyString(get(key));
    if (path !== undefined) settings[key as `${string}Path`] = path;
  }
  // Workspaces: empty means the sidecar's default.
  const worktreeRoot = nonEmptyString(get('worktreeRoot'));
  if (worktreeRoot !== undefined) settings.worktreeRoot = worktreeRoot;
  const branchPrefix = nonEmptyString(get('branchPrefix'));
  if (branchPrefix !== undefined) settings.branchPrefix = branchPrefix;
  // The default is left to the sidecar, which runs it only when the worktree has it; a script
  // named here is required, and its absence is reported as a failed setup.
  const setupScript = nonEmptyString(get('setupScript'));
  if (setupScript !== undefined && setupScript !== DEFAULT_SETUP_SCRIPT) settings.setupScript = setupScript;
  // Setup time limit: whole seconds, at least 1; anything else leaves the sidecar's default (600).
  const setupTimeout = get('setupTimeoutSeconds');
  if (typeof setupTimeout === 'number' && Number.isFinite(setupTimeout) && setupTimeout >= 1) {
    settings.setupTimeoutSeconds = Math.floor(setupTimeout);
  }
  // Agents: a whole number, at least 1; anything else leaves the sidecar's default (3).
  const maxParallelAgents = get('maxParallelAgents');
  if (typeof maxParallelAgents === 'number' && Number.isFinite(maxParallelAgents) && maxParallelAgents >= 1) {
    settings.maxParallelAgents = Math.floor(maxParallelAgents);
  }
  // Stall limit: whole seconds, at least 1; anything else leaves the sidecar's default (120).
  const stall = get('agentStallSeconds');
  if (typeof stall === 'number' && Number.isFinite(stall) && stall >= 1) {
    settings.agentStallSeconds = Math.floor(stall);
  }
  // Usage insights: on only when the setting is exactly true; left out, the sidecar's default is off.
  if (get('usageInsights.enabled') === true) settings.usageInsights = true;
  // Landing: only values the sidecar knows; anything else leaves its default (no commit, rebase, merge, origin, gh on PATH).
  if (get('commitAfterEachRun') === true) settings.commitAfterEachRun = true;
  const syncMethod = get('syncMethod');
  if (syncMethod === 'rebase' || syncMethod === 'merge') settings.syncMethod = syncMethod;
  const mergeMethod = get('mergeMethod');
  if (mergeMethod === 'merge' || mergeMethod === 'squash' || mergeMethod === 'rebase') settings.mergeMethod = mergeMethod;
  const remote = nonEmptyString(get('remote'));
  if (remote !== undefined) settings.remote = remote;
  const ghPath = nonEmptyString(get('ghPath'));
  if (ghPath !== undefined) settings.ghPath = ghPath;
  return settings;
}

/** The params of `workspace/didChangeConfiguration`: `{settings: {grove: GroveSettings}}`. */
export function didChangeConfigurationParams(settings: GroveSettings): { settings: { grove: GroveSettings } } {
  return { settings: { grove: settings } };
}

function nonEmptyString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
