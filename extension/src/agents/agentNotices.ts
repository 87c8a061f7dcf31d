// Texts and decisions around agent runs outside the panel: command arguments, run-finished notifications, the parallel-agents notice, quick-pick rows; no vscode import.
import type { Run, Workspace } from '../common/protocol';

/** The workspace id of a command argument: `{workspaceId}` (context menus), a workspace, or the id itself. */
export function workspaceIdFromArg(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg !== '') return arg;
  if (typeof arg !== 'object' || arg === null) return undefined;
  const record = arg as Record<string, unknown>;
  if (typeof record.workspaceId === 'string' && record.workspaceId !== '') return record.workspaceId;
  const workspace = record.workspace;
  if (typeof workspace === 'object' && workspace !== null) {
    const id = (workspace as Record<string, unknown>).id;
    if (typeof id === 'string' && id !== '') return id;
  }
  return undefined;
}

/** The first line of a prompt, shortened for a list or a notification. */
export function promptTitle(prompt: string, max = 60): string {
  const line = prompt.trim().split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export interface RunNotification {
  severity: 'info' | 'warning' | 'error';
  message: string;
}

/** What to tell someone who is not looking at the panel when a run ends; undefined: nothing (cancelled, still going). */
export function runNotification(run: Run, workspaceName: string): RunNotification | undefined {
  const where = `“${workspaceName}”`;
  const what = promptTitle(run.prompt);
  switch (run.state) {
    case 'succeeded':
      return { severity: 'info', message: `Grove: the agent in ${where} finished: ${what}` };
    case 'failed':
      return { severity: 'error', message: `Grove: the agent in ${where} failed: ${run.error ?? what}` };
    case 'authRequired':
      return { severity: 'warning', message: `Grove: the agent in ${where} needs you to sign in to Claude: ${run.error ?? what}` };
    default:
      return undefined;
  }
}

/** The limit above which heavier parallel use is worth a word. */
export const ORDINARY_PARALLEL_AGENTS = 3;

export const PARALLEL_NOTICE =
  'Grove will run up to {n} agents at once. Each agent uses your Claude plan like a person working alone; heavier parallel use may fall outside a subscription’s ordinary individual use. Check your plan’s terms, or use an API key for heavy parallel work.';

/** The one-time notice when grove.maxParallelAgents goes above 3; undefined when it is not due. */
export function parallelNotice(value: unknown, alreadyShown: boolean): string | undefined {
  if (alreadyShown || typeof value !== 'number' || !(value > ORDINARY_PARALLEL_AGENTS)) return undefined;
  return PARALLEL_NOTICE.replace('{n}', String(Math.floor(value)));
}

export interface PickRow {
  label: string;
  description: string;
  detail?: string;
}

/** A quick-pick row for a workspace. */
export function workspaceRow(workspace: Workspace): PickRow {
  return { label: workspace.name, description: workspace.branch, detail: workspace.path };
}

/** A quick-pick row for a queued or running run. */
export function runRow(run: Run, workspaceName: string | undefined): PickRow {
  return {
    label: promptTitle(run.prompt),
    description: `${workspaceName ?? run.workspaceId} · ${run.state}`,
  };
}
