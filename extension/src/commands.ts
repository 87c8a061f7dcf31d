// Grove's general commands: restart the sidecar, show its logs (the sign-in commands are in account.ts).
import * as vscode from 'vscode';
import type { Sidecar } from './sidecar';

/** Command ids, as contributed in package.json. */
export const Commands = {
  restartSidecar: 'grove.restartSidecar',
  showLogs: 'grove.showLogs',
  /** Registered by account.ts. */
  refreshStatus: 'grove.refreshStatus',
} as const;

export function registerCommands(sidecar: Sidecar, output: vscode.OutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.restartSidecar, () => sidecar.restart()),
    vscode.commands.registerCommand(Commands.showLogs, () => {
      output.show(true);
    }),
  ];
}
