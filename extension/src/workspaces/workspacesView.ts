// The Workspaces tree view in the Grove sidebar: repositories, their workspaces and changed files, rendered from workspaceModel's rows.
import * as vscode from 'vscode';
import { Commands, InternalCommands, Views } from '../common/commands';
import type { ResultSeen } from './resultSeen';
import { childNodes, treeRow, type RowAction, type TreeNode, type TreeRow } from './workspaceModel';
import type { WorkspaceStore } from './workspaceStore';
import type { AgentCliStore } from '../agentClis/agentCliStore';
import { runAgent } from '../agents/composerModel';

const COLLAPSIBLE: Record<TreeRow['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export class WorkspacesView implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<TreeNode>;
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly store: WorkspaceStore,
    private readonly seen: ResultSeen,
    /** The agent CLIs (`grove/agents/list`): a run's agent by its label. */
    private readonly clis: AgentCliStore,
  ) {
    this.view = vscode.window.createTreeView(Views.workspaces, { treeDataProvider: this, showCollapseAll: true });
    const refresh = () => {
      this.changed.fire(undefined);
    };
    // A result opened changes its rows ("new result" goes) as much as a change of the store.
    this.subscriptions = [store.onDidChange(refresh), seen.onDidChange(refresh), clis.onDidChange(refresh)];
  }

  getChildren(element?: TreeNode): TreeNode[] {
    return childNodes(this.store, element);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const row = treeRow(this.store, node, this.seen, (run) => runAgent(this.clis.all, run)?.label);
    // A node whose workspace just went away: the refresh that follows removes it.
    if (!row) return new vscode.TreeItem('…', vscode.TreeItemCollapsibleState.None);
    const item = new vscode.TreeItem(row.label, COLLAPSIBLE[row.collapsible]);
    item.id = row.id;
    if (row.description !== undefined) item.description = row.description;
    if (row.tooltip !== undefined) item.tooltip = row.tooltip;
    if (row.resourcePath !== undefined) item.resourceUri = vscode.Uri.file(row.resourcePath);
    if (row.icon !== undefined) {
      item.iconPath = new vscode.ThemeIcon(row.icon, row.iconColor === undefined ? undefined : new vscode.ThemeColor(row.iconColor));
    }
    item.contextValue = row.contextValue;
    if (row.action) item.command = command(row.action);
    return item;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.view.dispose();
    this.changed.dispose();
  }
}

function command(action: RowAction): vscode.Command {
  switch (action.kind) {
    case 'openAgentPanel':
      return { title: 'Open Agent Panel', command: Commands.openAgentPanel, arguments: [{ workspaceId: action.workspaceId }] };
    case 'openResult':
      return { title: 'Open Result', command: InternalCommands.openRunResult, arguments: [action.workspaceId, action.runId] };
    case 'openChange':
      return { title: 'Open Changes', command: Commands.openChange, arguments: [{ workspaceId: action.workspaceId, path: action.path }] };
    case 'newWorkspace':
      return { title: 'New Workspace', command: Commands.newWorkspace, arguments: [{ kind: 'repo', repoPath: action.repoPath }] };
    case 'openFile':
      return { title: 'Open File', command: 'vscode.open', arguments: [vscode.Uri.file(action.path)] };
  }
}
