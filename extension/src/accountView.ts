// The Account tree view in the Grove sidebar: one row per fact of statusModel's rows for the current state and a sign-in under way.
import * as vscode from 'vscode';
import type { AuthStore } from './authState';
import type { SignInController } from './signIn';
import { accountRows, OPEN_SETTINGS_COMMAND, type AccountRow, type RowAction } from './statusModel';

export const ACCOUNT_VIEW_ID = 'grove.account';
/** Shows and focuses the Account view (VS Code makes a `<view id>.focus` command for every view). */
export const FOCUS_ACCOUNT_VIEW_COMMAND = `${ACCOUNT_VIEW_ID}.focus`;

export class AccountView implements vscode.TreeDataProvider<AccountRow>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private rows: AccountRow[];
  private readonly view: vscode.TreeView<AccountRow>;
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly store: AuthStore,
    private readonly signIn: SignInController,
  ) {
    this.rows = this.compute();
    this.view = vscode.window.createTreeView(ACCOUNT_VIEW_ID, { treeDataProvider: this });
    const update = (): void => {
      this.rows = this.compute();
      this.changed.fire();
    };
    this.subscriptions = [store.onDidChange(update), signIn.onDidChange(update)];
  }

  /** True while the view is on screen. */
  get visible(): boolean {
    return this.view.visible;
  }

  private compute(): AccountRow[] {
    return accountRows(this.store.state, this.signIn.view);
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
    for (const s of this.subscriptions) s.dispose();
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
    case 'command':
      return { title: action.title, command: action.command };
  }
}
