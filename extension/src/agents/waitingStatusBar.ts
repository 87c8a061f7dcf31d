// The status-bar item "$(bell) 2 agents waiting": follows the pending requests the moment one arrives or is answered anywhere, hidden at 0; a click opens the agent that has waited longest.
import * as vscode from 'vscode';
import { Commands, ContextKeys, Ids } from '../common/commands';
import { waitingText, waitingTooltip, type PendingRequests } from './requests';

export class WaitingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(Ids.waitingStatusBarItem, vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: { dispose(): void };
  private waitingContext: boolean | undefined;

  constructor(
    private readonly requests: PendingRequests,
    /** A workspace's name for the tooltip (its id when unknown). */
    private readonly workspaceName: (id: string) => string,
  ) {
    this.item.name = 'Grove: agents waiting for you';
    this.item.command = Commands.openWaitingAgent;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.subscription = requests.onDidChange(() => {
      this.apply();
    });
    this.apply();
  }

  /** Names of workspaces became known: the tooltip follows. */
  apply(): void {
    const text = waitingText(this.requests.waitingAgents);
    const waiting = text !== undefined;
    if (this.waitingContext !== waiting) {
      this.waitingContext = waiting;
      void vscode.commands.executeCommand('setContext', ContextKeys.agentWaiting, waiting);
    }
    if (!waiting) {
      this.item.hide();
      return;
    }
    this.item.text = text;
    this.item.tooltip = waitingTooltip(this.requests.all(), this.workspaceName);
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
