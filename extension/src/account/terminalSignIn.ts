// An agent CLI's own interactive sign-in in a VS Code terminal: the CLI's command line as the terminal's process (nothing typed into a shell), one terminal per agent, and its own-sign-in profile checked again when the terminal closes.
import * as vscode from 'vscode';
import { ProfileCheckRequest, type AgentCli } from '../common/protocol';
import { errorMessage } from '../common/errors';
import type { Sidecar } from '../sidecar/sidecar';
import type { TerminalSignIn } from './agentSignIn';

export class TerminalSignIns implements vscode.Disposable {
  /** The sign-in terminal of each agent while it is open, with the profile of that agent's own sign-in. */
  private readonly open = new Map<string, { terminal: vscode.Terminal; ownProfile: string }>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly sidecar: Sidecar,
    private readonly log: (line: string) => void,
  ) {
    this.subscriptions = [
      vscode.window.onDidCloseTerminal((terminal) => {
        this.closed(terminal);
      }),
    ];
  }

  /** Opens the agent's sign-in terminal (or shows the one already open) and says what happens there. */
  start(agent: Pick<AgentCli, 'id' | 'ownProfile'>, signIn: TerminalSignIn): void {
    const existing = this.open.get(agent.id);
    if (existing !== undefined) {
      existing.terminal.show();
      return;
    }
    const terminal = vscode.window.createTerminal({ name: signIn.name, shellPath: signIn.shellPath, shellArgs: signIn.shellArgs });
    this.open.set(agent.id, { terminal, ownProfile: agent.ownProfile });
    terminal.show();
    this.log(`${signIn.name}: started in a terminal`);
    void vscode.window.showInformationMessage(signIn.message);
  }

  /** A sign-in terminal closed: its agent's own profile is checked at once (the row updates; a failure changes nothing). */
  private closed(terminal: vscode.Terminal): void {
    for (const [agent, open] of this.open) {
      if (open.terminal !== terminal) continue;
      this.open.delete(agent);
      this.log(`${terminal.name}: the terminal closed; checking ${open.ownProfile}`);
      this.sidecar.sendRequest(ProfileCheckRequest, { id: open.ownProfile }).then(
        () => undefined,
        (error: unknown) => {
          this.log(`checking ${open.ownProfile}: ${errorMessage(error)}`);
        },
      );
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.open.clear();
  }
}
