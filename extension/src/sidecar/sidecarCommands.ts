// The sidecar's own commands: Restart Sidecar and Show Logs (the Grove output channel, where the CLI's sign-in lines go too).
import * as vscode from 'vscode';
import { Commands } from '../common/commands';
import type { Sidecar } from './sidecar';

export function registerSidecarCommands(sidecar: Sidecar, output: vscode.OutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.restartSidecar, () => sidecar.restart()),
    vscode.commands.registerCommand(Commands.showLogs, () => {
      output.show(true);
    }),
  ];
}
