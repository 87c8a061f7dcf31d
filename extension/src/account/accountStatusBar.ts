// The Claude sign-in item in the status bar: applies accountModel's view of the current state and of a sign-in under way, with the profile new runs use in its tooltip.
import * as vscode from 'vscode';
import { focusViewCommand, Ids, Views } from '../common/commands';
import type { AuthStore } from './accountState';
import type { SignInController } from './signIn';
import { statusBarView, withActiveProfile, withUsage } from './accountModel';
import type { UsageFeed } from '../usage/usage';
import type { ProfileStore } from '../profiles/profileStore';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(Ids.statusBarItem, vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly store: AuthStore,
    private readonly signIn: SignInController,
    /** The last usage answer, for the 5-hour window in the tooltip (usage insights on only). */
    private readonly usage?: UsageFeed,
    /** The profiles, for the tooltip's "New runs use …". */
    private readonly profiles?: ProfileStore,
  ) {
    this.item.name = 'Grove: Claude sign-in';
    // The Account view itself, wherever it is and even when collapsed.
    this.item.command = focusViewCommand(Views.account);
    this.apply();
    const apply = (): void => {
      this.apply();
    };
    // The tooltip's "checked 2 min ago" stays true.
    const tick = setInterval(apply, 60_000);
    this.subscriptions = [
      store.onDidChange(apply),
      signIn.onDidChange(apply),
      {
        dispose: () => {
          clearInterval(tick);
        },
      },
    ];
    if (usage) this.subscriptions.push(usage.onDidChange(apply));
    if (profiles) this.subscriptions.push(profiles.onDidChange(apply));
    this.item.show();
  }

  private apply(): void {
    const view = withActiveProfile(withUsage(statusBarView(this.store.state, this.signIn.view), this.usage?.latest), this.profiles?.list);
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    tooltip.isTrusted = view.trustedCommands.length > 0 ? { enabledCommands: view.trustedCommands } : false;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
