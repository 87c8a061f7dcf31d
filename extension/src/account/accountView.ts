// The Account tree view in the Grove sidebar: one row per fact of accountModel's rows for the current state and a sign-in under way.
import * as vscode from 'vscode';
import { Views } from '../common/commands';
import type { AuthStore } from './accountState';
import type { SignInController } from './signIn';
import { accountRows, type AccountRow, type RowAction } from './accountModel';

/** Relative times ("checked 2 min ago") are brought up to date this often while the view is shown. */
const TICK_MS = 30_000;

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
    this.view = vscode.window.createTreeView(Views.account, { treeDataProvider: this });
    const update = (): void => {
      this.rows = this.compute();
      this.changed.fire();
    };
    const tick = setInterval(() => {
      if (this.view.visible) update();
    }, TICK_MS);
    this.subscriptions = [
      store.onDidChange(update),
      signIn.onDidChange(update),
      {
        dispose: () => {
          clearInterval(tick);
        },
      },
    ];
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
    case 'command':
      return { title: action.title, command: action.command };
  }
}
