// The Account tree view in the Grove sidebar: one row per fact of accountModel's rows for the current state and a sign-in under way, the other agents' sign-ins under way, each provider with its auth profiles (profilesModel's rows), then the agent CLIs found or not.
import * as vscode from 'vscode';
import { Views } from '../common/commands';
import type { AuthStore } from './accountState';
import type { SignInController } from './signIn';
import { accountRows, agentCliRows, agentSignInRows, type AccountRow, type RowAction } from './accountModel';
import { agentWords, type AgentSignIns } from './agentSignIn';
import type { AgentCliStore } from '../agentClis/agentCliStore';
import type { ProfileStore } from '../profiles/profileStore';
import { profileRows, showsProfiles, type ProfileRow } from '../profiles/profilesModel';

/** Relative times ("checked 2 min ago") are brought up to date this often while the view is shown. */
const TICK_MS = 30_000;

type Row = AccountRow | ProfileRow;

export class AccountView implements vscode.TreeDataProvider<Row>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private rows: Row[];
  private readonly view: vscode.TreeView<Row>;
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly store: AuthStore,
    private readonly signIn: SignInController,
    private readonly profiles: ProfileStore | undefined,
    /** The sign-ins of the other agents, each shown on its own rows. */
    private readonly agentSignIns: AgentSignIns,
    /** The agent CLIs (`grove/agents/list`). */
    private readonly clis: AgentCliStore,
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
    if (profiles) this.subscriptions.push(profiles.onDidChange(update));
    this.subscriptions.push(agentSignIns.onDidChange(update), clis.onDidChange(update));
  }

  /** True while the view is on screen. */
  get visible(): boolean {
    return this.view.visible;
  }

  private compute(): Row[] {
    const account = accountRows(this.store.state, this.signIn.view);
    const others = this.agentSignIns.all.flatMap((flow) => {
      const agent = this.clis.get(flow.agent);
      const words = agent ? agentWords(agent, this.clis) : { agent: flow.agent, label: flow.agent, service: flow.agent };
      return agentSignInRows(words, flow.controller.state);
    });
    const list = this.profiles?.list;
    const profiles = list && showsProfiles(list, account.length > 0, this.clis) ? profileRows(list, this.clis) : [];
    const shown = [...account, ...others, ...profiles];
    // Simply not signed in and no profile of its own: nothing, so that the welcome content ("Sign in to Claude") shows.
    if (shown.length === 0) return [];
    return [...shown, ...agentCliRows(this.clis.all, vscode.env.remoteName !== undefined)];
  }

  getChildren(element?: Row): Row[] {
    if (!element) return this.rows;
    return 'children' in element ? (element.children ?? []) : [];
  }

  getTreeItem(row: Row): vscode.TreeItem {
    const children = 'children' in row ? row.children : undefined;
    const collapsible = children === undefined ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Expanded;
    const item = new vscode.TreeItem(row.label, collapsible);
    item.id = row.id;
    if (row.description !== undefined) item.description = row.description;
    item.tooltip = row.tooltip;
    const color = 'iconColor' in row ? new vscode.ThemeColor(row.iconColor) : undefined;
    item.iconPath = new vscode.ThemeIcon(row.icon, color);
    item.contextValue = row.contextValue;
    if ('action' in row) item.command = command(row.action);
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
      return { title: action.title, command: action.command, ...(action.arguments !== undefined && { arguments: action.arguments }) };
  }
}
