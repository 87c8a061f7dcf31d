// The `grove-base:` documents (a file as it was at a workspace's base commit, from `grove/workspace/fileAtBase`) and the diff editor that compares them with the worktree.
import * as vscode from 'vscode';
import { sidecarError } from '../common/errors';
import { WorkspaceFileAtBaseRequest, type FileChange, type Workspace } from '../common/protocol';
import { baseText, changesTitle, decodeBaseQuery, diffSides, diffTitle, encodeBaseQuery, type DiffSide } from './workspaceModel';
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

/** The URI of one side of a diff; an empty side is an empty `grove-base:` document at the file's path. */
function sideUri(ws: Workspace, file: FileChange, side: DiffSide): vscode.Uri {
  switch (side.kind) {
    case 'base':
      return baseUri(ws, side.path);
    case 'worktree':
      return vscode.Uri.file(`${ws.path}/${side.path}`);
    case 'empty':
      return baseUri(ws, file.path, true);
  }
}

/**
 * Opens the diff of one changed file against the base commit: the base on the left, the worktree
 * on the right; a new file against an empty left side, a deleted one against an empty right side.
 */
export async function openChange(ws: Workspace, file: FileChange): Promise<void> {
  const { left, right } = diffSides(file);
  await vscode.commands.executeCommand('vscode.diff', sideUri(ws, file, left), sideUri(ws, file, right), diffTitle(ws.name, file.path), { preview: true });
}

/**
 * Opens every changed file of a workspace in one multi-file diff editor (`vscode.changes`): each
 * entry is [the file, its base version, its worktree version]; a new file has no base version
 * (shown as added), a deleted one no worktree version.
 */
export async function openAllChanges(ws: Workspace, files: readonly FileChange[]): Promise<void> {
  // An empty side is left out: the editor shows the file as added (or deleted).
  const entries = files.map((file) => {
    const { left, right } = diffSides(file);
    const uri = (side: DiffSide) => (side.kind === 'empty' ? undefined : sideUri(ws, file, side));
    return [vscode.Uri.file(`${ws.path}/${file.path}`), uri(left), uri(right)];
  });
  await vscode.commands.executeCommand('vscode.changes', changesTitle(ws.name, ws.baseRef), entries);
}
