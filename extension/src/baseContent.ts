// The `grove-base:` documents (a file as it was at a workspace's base commit, from `grove/workspace/fileAtBase`) and the diff editor that compares them with the worktree.
import * as vscode from 'vscode';
import { WorkspaceFileAtBaseRequest, type FileChange, type Workspace } from './protocol';
import { baseText, decodeBaseQuery, diffTitle, encodeBaseQuery, requestFailure } from './workspaceModel';
import type { Sidecar } from './sidecar';

export const BASE_SCHEME = 'grove-base';

/** A `grove-base:` URI; its path ends with the file's own path, so the editor picks the right language. */
export function baseUri(ws: Workspace, path: string, empty = false): vscode.Uri {
  return vscode.Uri.from({
    scheme: BASE_SCHEME,
    path: `/${ws.name}/${path}`,
    query: encodeBaseQuery(empty ? { id: ws.id, path, empty } : { id: ws.id, path }),
  });
}

export class BaseContentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly sidecar: Sidecar) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = decodeBaseQuery(uri.query);
    if (!query) return `(Not a Grove base document: ${uri.toString()})`;
    if (query.empty) return '';
    try {
      return baseText(await this.sidecar.sendRequest(WorkspaceFileAtBaseRequest, { id: query.id, path: query.path }));
    } catch (error) {
      return `(Grove could not read ${query.path} at the base commit: ${requestFailure(error).message})`;
    }
  }
}

/** Opens the diff of one changed file: the base commit on the left, the worktree on the right (an empty document for a deletion). */
export async function openChange(ws: Workspace, file: FileChange): Promise<void> {
  const left = baseUri(ws, file.oldPath ?? file.path);
  const right = file.status === 'deleted' ? baseUri(ws, file.path, true) : vscode.Uri.file(`${ws.path}/${file.path}`);
  await vscode.commands.executeCommand('vscode.diff', left, right, diffTitle(ws.name, file.path), { preview: true });
}
