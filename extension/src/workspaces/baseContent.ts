// The `grove-base:` documents (a file as it was at a workspace's base commit, from `grove/workspace/fileAtBase`) and the diff editor that compares them with the worktree.
import * as vscode from 'vscode';
import { Commands } from '../common/commands';
import { sidecarError } from '../common/errors';
import { WorkspaceFileAtBaseRequest, type FileChange, type Workspace } from '../common/protocol';
import { baseText, changesTitle, decodeBaseQuery, diffTitle, encodeBaseQuery } from './workspaceModel';
import type { Sidecar } from '../sidecar/sidecar';

export const BASE_SCHEME = 'grove-base';

/**
 * A `grove-base:` URI. Its path is the file's own path in the worktree: the editor picks the
 * language from it, and the multi-file diff editor sees one file (not a rename) on both sides.
 */
export function baseUri(ws: Workspace, path: string, empty = false): vscode.Uri {
  return vscode.Uri.from({
    scheme: BASE_SCHEME,
    path: ws.path === '' ? `/${ws.name}/${path}` : `${ws.path}/${path}`,
    query: encodeBaseQuery(empty ? { id: ws.id, path, empty } : { id: ws.id, path }),
  });
}

export class BaseContentProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly sidecar: Sidecar) {}

  /** The base documents of a workspace are read again (its base may read differently after a restore). */
  refresh(workspaceId: string): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme === BASE_SCHEME && decodeBaseQuery(doc.uri.query)?.id === workspaceId) this.changed.fire(doc.uri);
    }
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = decodeBaseQuery(uri.query);
    if (!query) return `(Not a Grove base document: ${uri.toString()})`;
    if (query.empty) return '';
    try {
      return baseText(await this.sidecar.sendRequest(WorkspaceFileAtBaseRequest, { id: query.id, path: query.path }));
    } catch (error) {
      return `(Grove could not read ${query.path} at the base commit: ${sidecarError(error).message})`;
    }
  }
}

/** The two sides of a changed file's diff: the base commit (none for a new file) and the worktree (none for a deleted one). */
function sides(ws: Workspace, file: FileChange): { left: vscode.Uri | undefined; right: vscode.Uri | undefined } {
  const added = file.status === 'added' || file.status === 'untracked';
  return {
    left: added ? undefined : baseUri(ws, file.oldPath ?? file.path),
    right: file.status === 'deleted' ? undefined : vscode.Uri.file(`${ws.path}/${file.path}`),
  };
}

/**
 * Opens the diff of one changed file: the base commit on the left, the worktree on the right (an
 * empty document for a deleted file). A new file has nothing to compare with: it opens as itself.
 */
export async function openChange(ws: Workspace, file: FileChange): Promise<void> {
  const { left, right } = sides(ws, file);
  if (left === undefined && right !== undefined) {
    await vscode.commands.executeCommand('vscode.open', right, { preview: true });
    return;
  }
  await vscode.commands.executeCommand(
    'vscode.diff',
    left ?? baseUri(ws, file.path, true),
    right ?? baseUri(ws, file.path, true),
    diffTitle(ws.name, file.path),
    { preview: true },
  );
}

/**
 * Opens every changed file of a workspace in one multi-file diff editor (`vscode.changes`): each
 * entry is [the file, its base version, its worktree version]; a new file has no base version
 * (shown as added), a deleted one no worktree version.
 */
export async function openAllChanges(ws: Workspace, files: readonly FileChange[]): Promise<void> {
  const entries = files.map((file) => {
    const { left, right } = sides(ws, file);
    return [vscode.Uri.file(`${ws.path}/${file.path}`), left, right];
  });
  await vscode.commands.executeCommand('vscode.changes', changesTitle(ws.name, ws.baseRef), entries);
}

/**
 * After a workspace came back (restore): its open diff editors show the worktree as it was when it
 * went away (files "deleted"). They are closed and opened again, reading the files anew.
 */
export async function reopenDiffs(ws: Workspace, provider: BaseContentProvider): Promise<void> {
  provider.refresh(ws.id);
  const ours = (uri: vscode.Uri | undefined): boolean =>
    uri !== undefined && ((uri.scheme === BASE_SCHEME && decodeBaseQuery(uri.query)?.id === ws.id) || (ws.path !== '' && uri.fsPath.startsWith(`${ws.path}/`)));
  const stale: { tab: vscode.Tab; reopen: () => Thenable<unknown> }[] = [];
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const input = tab.input;
      if (input instanceof vscode.TabInputTextDiff && (ours(input.original) || ours(input.modified))) {
        const { original, modified } = input;
        const viewColumn = group.viewColumn;
        stale.push({ tab, reopen: () => vscode.commands.executeCommand('vscode.diff', original, modified, tab.label, { preview: false, viewColumn }) });
      } else if (tab.label === changesTitle(ws.name, ws.baseRef)) {
        stale.push({ tab, reopen: () => vscode.commands.executeCommand(Commands.showWorkspaceChanges, { workspaceId: ws.id }) });
      }
    }
  }
  if (stale.length === 0) return;
  // The tab that was in front comes back last, so it is in front again.
  stale.sort((a, b) => Number(a.tab.isActive) - Number(b.tab.isActive));
  await vscode.window.tabGroups.close(
    stale.map((s) => s.tab),
    true,
  );
  for (const { reopen } of stale) await reopen();
}
