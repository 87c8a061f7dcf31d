// The Account tree view in the Grove sidebar: one row per fact of statusModel's rows for the current state.
import * as vscode from 'vscode';
import type { AuthStore } from './authState';
import { accountRows, OPEN_SETTINGS_COMMAND, type AccountRow, type RowAction } from './statusModel';

export const ACCOUNT_VIEW_ID = 'grove.account';

export class AccountView implements vscode.TreeDataProvider<AccountRow>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private rows: AccountRow[];
  private readonly view: vscode.TreeView<AccountRow>;
  private readonly subscription: { dispose(): void };

  constructor(store: AuthStore) {
    this.rows = accountRows(store.state);
    this.view = vscode.window.createTreeView(ACCOUNT_VIEW_ID, { treeDataProvider: this });
    this.subscription = store.onDidChange((state) => {
      this.rows = accountRows(state);
      this.changed.fire();
    });
  }

  getChildren(element?: AccountRow): AccountRow[] {
    return element ? [] : this.rows;
  }

  getTreeItem(row: AccountRow): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = row.id;
    if (row.description !== undefined) item.description = row.description;
    item.tooltip = row.tooltip;
    item.iconPath = new vscode.ThemeIcon(row.icon);
    item.contextValue = row.contextValue;
    if (row.action) item.command = command(row.action);
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.view.dispose();
    this.changed.dispose();
  }
}

function command(action: RowAction): vscode.Command {
  switch (action.kind) {
    case 'openUrl':
      return { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.parse(action.url)] };
    case 'openSetting':
      return { title: 'Open Setting', command: OPEN_SETTINGS_COMMAND, arguments: [action.setting] };
  }
}
