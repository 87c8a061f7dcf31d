// The workspaces feature, wired: its store, its sync with the sidecar, the Workspaces view, the `grove-base:` documents, which results are new, the worktrees' tabs and terminals, and the commands.
import * as vscode from 'vscode';
import { BASE_SCHEME, BaseContentProvider } from './baseContent';
import type { AuthStore } from '../account/accountState';
import type { Sidecar } from '../sidecar/sidecar';
import type { AgentCliStore } from '../agentClis/agentCliStore';
import { ResultSeen, type SeenMemento } from './resultSeen';
import { registerWorkspaceCommands } from './workspaceCommands';
import { workspaceContext } from './workspaceModel';
import { WorkspaceStore } from './workspaceStore';
import { WorkspaceSync } from './workspaceSync';
import { WorkspacesView } from './workspacesView';
import { WorktreeViews } from './worktreeViews';

/** What other features build on: the store of workspaces (landing keeps git statuses there) and its sync with the sidecar. */
export interface WorkspacesFeature {
  store: WorkspaceStore;
  sync: WorkspaceSync;
  disposables: { dispose(): unknown }[];
}

/** Call before the sidecar starts, so that its first start loads the workspaces. `memento` (the window's workspaceState) keeps which results were opened; `clis` names a run's agent. */
export function activateWorkspaces(
  sidecar: Sidecar,
  output: vscode.OutputChannel,
  auth: AuthStore,
  memento: SeenMemento,
  clis: AgentCliStore,
): WorkspacesFeature {
  const store = new WorkspaceStore();
  // A run that needed sign-in says "retry" once signed in: from the same status as every other view.
  const signedIn = (): void => {
    const state = auth.state;
    if (state.kind === 'status') store.setSignedIn(state.status.loggedIn && state.status.lastFailure === null);
  };
  const sync = new WorkspaceSync(sidecar, store, output);
  const base = new BaseContentProvider(sidecar);
  const seen = new ResultSeen(memento);
  const views = new WorktreeViews(store, base, (line) => {
    output.appendLine(`[grove ${new Date().toLocaleTimeString()}] workspaces: ${line}`);
  });
  const disposables = [
    sync,
    views,
    new WorkspacesView(store, seen, clis),
    vscode.workspace.registerTextDocumentContentProvider(BASE_SCHEME, base),
    ...registerWorkspaceCommands({ sidecar, store, sync, output, views, seen }),
    bindContextKeys(store),
    auth.onDidChange(signedIn),
  ];
  return { store, sync, disposables };
}

/** Keeps the `grove.has…` context keys (the palette's `when` clauses) in step with the store. */
function bindContextKeys(store: WorkspaceStore): { dispose(): void } {
  const shown = new Map<string, boolean>();
  const update = (): void => {
    const context = workspaceContext(store.repositories(), store.workspaces());
    for (const [key, value] of Object.entries(context) as [string, boolean][]) {
      if (shown.get(key) === value) continue;
      shown.set(key, value);
      void vscode.commands.executeCommand('setContext', key, value);
    }
  };
  update();
  return store.onDidChange(update);
}
