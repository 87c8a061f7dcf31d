// What the editor shows of a worktree, kept in step with its workspace's state: its terminals (found, closed on archive, offered again on restore) and its diff and file tabs (closed when it goes away, opened again from the new state when it comes back).
import * as vscode from 'vscode';
import { BASE_SCHEME, type BaseContentProvider } from './baseContent';
import { Commands } from '../common/commands';
import type { Workspace } from '../common/protocol';
import { isRecord } from '../common/json';
import { decodeBaseQuery, isChangesTabLabel, isInside, terminalInWorktree, type WorktreeVerb } from './workspaceModel';
import type { WorkspaceStore } from './workspaceStore';

/** A tab closed because its worktree went away, and how to open it again. */
interface ClosedTab {
  isActive: boolean;
  reopen: () => Thenable<unknown>;
}

/** How long closing terminals may take before archive or delete goes on anyway. */
const TERMINAL_CLOSE_WAIT_MS = 2_000;

/** A folder as a path, when it is a local one. */
function localPath(folder: unknown): string | undefined {
  if (typeof folder === 'string') return folder;
  return folder instanceof vscode.Uri && folder.scheme === 'file' ? folder.fsPath : undefined;
}

/**
 * Where a terminal works: the folder it was started in, and the one its shell says it is in now
 * (`shellIntegration.cwd`, newer than the API this extension is typed against; absent without shell integration).
 */
function terminalFolders(terminal: vscode.Terminal): (string | undefined)[] {
  const options = terminal.creationOptions;
  const started = localPath('cwd' in options ? options.cwd : undefined);
  const integration = 'shellIntegration' in terminal ? terminal.shellIntegration : undefined;
  const now = isRecord(integration) ? localPath(integration.cwd) : undefined;
  return [started, now];
}

/** The documents of a multi-file diff tab (`TabInputTextMultiDiff`, newer than the API this extension is typed against). */
function multiDiffUris(input: unknown): vscode.Uri[] {
  if (typeof input !== 'object' || input === null || !('textDiffs' in input) || !Array.isArray(input.textDiffs)) return [];
  const uris: vscode.Uri[] = [];
  for (const diff of input.textDiffs as unknown[]) {
    if (diff instanceof vscode.TabInputTextDiff) uris.push(diff.original, diff.modified);
  }
  return uris;
}

export class WorktreeViews implements vscode.Disposable {
  /** Terminals Grove opened ("Open Terminal Here"), by the workspace they were opened in. */
  private readonly opened = new Map<vscode.Terminal, string>();
  /** How many terminals archiving closed, by workspace: restore offers one again. */
  private readonly closedTerminals = new Map<string, number>();
  /** Tabs closed when a workspace was archived, opened again when it is restored. */
  private readonly closedTabs = new Map<string, ClosedTab[]>();
  /** The state each workspace had when last seen: a change is what is followed. */
  private readonly states = new Map<string, Workspace>();
  private readonly subscriptions: { dispose(): unknown }[];

  constructor(
    private readonly store: WorkspaceStore,
    private readonly base: BaseContentProvider,
    private readonly log: (line: string) => void,
  ) {
    this.remember();
    this.subscriptions = [
      store.onDidChange(() => {
        this.follow();
      }),
      vscode.window.onDidCloseTerminal((terminal) => this.opened.delete(terminal)),
    ];
  }

  /** A terminal Grove opened in a workspace's worktree. */
  terminalOpened(terminal: vscode.Terminal, workspaceId: string): void {
    this.opened.set(terminal, workspaceId);
  }

  /** The open terminals in the worktree of `ws`: those Grove opened there, and any other started in it. */
  terminalsIn(ws: Workspace): vscode.Terminal[] {
    if (ws.path === '') return [];
    return vscode.window.terminals.filter(
      (terminal) => terminal.exitStatus === undefined && (this.opened.get(terminal) === ws.id || terminalInWorktree(terminalFolders(terminal), ws.path)),
    );
  }

  /**
   * Closes the terminals the user agreed to close before `ws` is archived or deleted, and waits
   * (briefly) until the editor says they are closed: their shells leave the worktree before it goes.
   * After archive, restore offers one again.
   */
  async closeTerminals(ws: Workspace, terminals: readonly vscode.Terminal[], verb: WorktreeVerb): Promise<void> {
    if (terminals.length === 0) return;
    const open = new Set(terminals.filter((t) => t.exitStatus === undefined));
    const closed = new Promise<boolean>((resolve) => {
      if (open.size === 0) {
        resolve(true);
        return;
      }
      const finish = (all: boolean): void => {
        clearTimeout(timer);
        listener.dispose();
        resolve(all);
      };
      const timer = setTimeout(() => {
        finish(false);
      }, TERMINAL_CLOSE_WAIT_MS);
      const listener = vscode.window.onDidCloseTerminal((terminal) => {
        open.delete(terminal);
        if (open.size === 0) finish(true);
      });
    });
    for (const terminal of terminals) terminal.dispose();
    const all = await closed;
    if (verb === 'archive') this.closedTerminals.set(ws.id, (this.closedTerminals.get(ws.id) ?? 0) + terminals.length);
    this.log(
      `closed ${terminals.length} terminal(s) in ${ws.name} before ${verb === 'archive' ? 'archiving' : 'deleting'} it${all ? '' : ` (${open.size} not yet closed after ${TERMINAL_CLOSE_WAIT_MS} ms)`}`,
    );
  }

  /** How many terminals archiving closed in `workspaceId` (then forgotten: restore offers once). */
  takeClosedTerminals(workspaceId: string): number {
    const n = this.closedTerminals.get(workspaceId) ?? 0;
    this.closedTerminals.delete(workspaceId);
    return n;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private remember(): void {
    this.states.clear();
    for (const ws of this.store.workspaces()) this.states.set(ws.id, ws);
  }

  /** After any change of the store: what changed state (archived, restored, deleted) gets its tabs closed or opened again. */
  private follow(): void {
    // A store still loading (or whose sidecar is down) says nothing about workspaces that went away.
    if (this.store.status.kind !== 'ready') return;
    const before = new Map(this.states);
    this.remember();
    for (const [id, was] of before) {
      const now = this.states.get(id);
      if (now === undefined) this.removed(was);
      else if (was.state === 'active' && now.state === 'archived') this.archived(was);
      else if (was.state === 'archived' && now.state === 'active') this.restored(now);
    }
  }

  private archived(ws: Workspace): void {
    void this.closeTabs(ws, true).catch((error: unknown) => {
      this.log(`closing the tabs of ${ws.name}: ${String(error)}`);
    });
  }

  private removed(ws: Workspace): void {
    this.closedTabs.delete(ws.id);
    this.closedTerminals.delete(ws.id);
    void this.closeTabs(ws, false).catch((error: unknown) => {
      this.log(`closing the tabs of ${ws.name}: ${String(error)}`);
    });
  }

  private restored(ws: Workspace): void {
    void this.reopenTabs(ws).catch((error: unknown) => {
      this.log(`opening the tabs of ${ws.name} again: ${String(error)}`);
    });
  }

  /** The tabs that show files of `ws` (its worktree, its base documents) or its changes, and how to open each again. */
  private tabsOf(ws: Workspace, path = ws.path): { tab: vscode.Tab; reopen: () => Thenable<unknown> }[] {
    const ours = (uri: vscode.Uri | undefined): boolean =>
      uri !== undefined &&
      ((uri.scheme === BASE_SCHEME && decodeBaseQuery(uri.query)?.id === ws.id) || (uri.scheme === 'file' && path !== '' && isInside(uri.fsPath, path)));
    const found: { tab: vscode.Tab; reopen: () => Thenable<unknown> }[] = [];
    for (const group of vscode.window.tabGroups.all) {
      const viewColumn = group.viewColumn;
      for (const tab of group.tabs) {
        // An edited tab (a file, or the worktree side of a diff) is never closed: its edits would be lost.
        if (tab.isDirty) continue;
        const input = tab.input;
        if (input instanceof vscode.TabInputTextDiff && (ours(input.original) || ours(input.modified))) {
          const { original, modified } = input;
          const label = tab.label;
          found.push({ tab, reopen: () => vscode.commands.executeCommand('vscode.diff', original, modified, label, { preview: false, viewColumn }) });
        } else if (input instanceof vscode.TabInputText && ours(input.uri)) {
          const uri = input.uri;
          found.push({ tab, reopen: () => vscode.commands.executeCommand('vscode.open', uri, { preview: false, viewColumn }) });
        } else if (isChangesTabLabel(tab.label, ws.name, ws.baseRef) || multiDiffUris(input).some(ours)) {
          found.push({ tab, reopen: () => vscode.commands.executeCommand(Commands.showWorkspaceChanges, { workspaceId: ws.id }) });
        }
      }
    }
    return found;
  }

  /** Closes the tabs of a worktree that went away (they would show its files deleted); kept to open again on restore with `keep`. */
  private async closeTabs(ws: Workspace, keep: boolean): Promise<void> {
    const tabs = this.tabsOf(ws);
    if (tabs.length === 0) return;
    if (keep) this.closedTabs.set(ws.id, [...(this.closedTabs.get(ws.id) ?? []), ...tabs.map(({ tab, reopen }) => ({ isActive: tab.isActive, reopen }))]);
    await vscode.window.tabGroups.close(
      tabs.map((t) => t.tab),
      true,
    );
    this.log(`closed ${tabs.length} tab(s) of ${ws.name}, whose worktree is gone`);
  }

  /**
   * A workspace came back: tabs still open on it (edited ones were not closed) are closed and opened
   * again, which reads its files anew; the tabs archiving closed open again; the one in front last.
   */
  private async reopenTabs(ws: Workspace): Promise<void> {
    this.base.refresh(ws.id);
    const stale = this.tabsOf(ws);
    const reopen: ClosedTab[] = [...(this.closedTabs.get(ws.id) ?? []), ...stale.map(({ tab, reopen: again }) => ({ isActive: tab.isActive, reopen: again }))];
    this.closedTabs.delete(ws.id);
    if (stale.length > 0) {
      await vscode.window.tabGroups.close(
        stale.map((s) => s.tab),
        true,
      );
    }
    reopen.sort((a, b) => Number(a.isActive) - Number(b.isActive));
    for (const tab of reopen) await tab.reopen();
    if (reopen.length > 0) this.log(`opened ${reopen.length} tab(s) of ${ws.name} again`);
  }
}
