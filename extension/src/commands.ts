// Grove's commands: restart the sidecar, show its logs, refresh the sign-in status.
import * as vscode from 'vscode';
import type { AuthController } from './authState';
import type { Sidecar } from './sidecar';

/** Command ids, as contributed in package.json. */
export const Commands = {
  restartSidecar: 'grove.restartSidecar',
  showLogs: 'grove.showLogs',
  refreshStatus: 'grove.refreshStatus',
} as const;

export function registerCommands(sidecar: Sidecar, auth: AuthController, output: vscode.OutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.restartSidecar, () => sidecar.restart()),
    vscode.commands.registerCommand(Commands.showLogs, () => {
      output.show(true);
    }),
    vscode.commands.registerCommand(Commands.refreshStatus, () => auth.refresh(true)),
  ];
}
