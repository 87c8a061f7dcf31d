// The workspaces feature, wired: its store, its sync with the sidecar, the Workspaces view, the `grove-base:` documents and the commands.
import * as vscode from 'vscode';
import { BASE_SCHEME, BaseContentProvider } from './baseContent';
import type { Sidecar } from './sidecar';
import { registerWorkspaceCommands } from './workspaceCommands';
import { WorkspaceStore } from './workspaceStore';
import { WorkspaceSync } from './workspaceSync';
import { WorkspacesView } from './workspacesView';

/** Call before the sidecar starts, so that its first start loads the workspaces. */
export function activateWorkspaces(sidecar: Sidecar, output: vscode.OutputChannel): { dispose(): unknown }[] {
  const store = new WorkspaceStore();
  const sync = new WorkspaceSync(sidecar, store, output);
  return [
    sync,
    new WorkspacesView(store),
    vscode.workspace.registerTextDocumentContentProvider(BASE_SCHEME, new BaseContentProvider(sidecar)),
    ...registerWorkspaceCommands({ sidecar, store, sync, output }),
  ];
}
