// The Claude sign-in item in the status bar: applies statusModel's view of the current state.
import * as vscode from 'vscode';
import type { AuthState, AuthStore } from './authState';
import { statusBarView } from './statusModel';

/** Opens the Grove view container (its id is `grove`). */
export const OPEN_GROVE_VIEW_COMMAND = 'workbench.view.extension.grove';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('grove.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscription: { dispose(): void };

  constructor(store: AuthStore) {
    this.item.name = 'Grove: Claude sign-in';
    this.item.command = OPEN_GROVE_VIEW_COMMAND;
    this.apply(store.state);
    this.subscription = store.onDidChange((state) => {
      this.apply(state);
    });
    this.item.show();
  }

  private apply(state: AuthState): void {
    const view = statusBarView(state);
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    tooltip.isTrusted = view.trustedCommands.length > 0 ? { enabledCommands: view.trustedCommands } : false;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
