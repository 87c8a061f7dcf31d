// The extension's entry point: wires the sidecar, the sign-in state, the status bar, the Account view, the commands and the settings together.
import * as vscode from 'vscode';
import { Account } from './account';
import { AgentRuns } from './agents';
import { AuthController, AuthStore } from './authState';
import { registerCommands } from './commands';
import { AuthStatusChanged, AuthStatusRequest, type GroveSettings } from './protocol';
import { groveSettings } from './settings';
import { Sidecar } from './sidecar';
import { activateWorkspaces } from './workspaces';

let sidecar: Sidecar | undefined;

function currentSettings(): GroveSettings {
  const config = vscode.workspace.getConfiguration('grove');
  return groveSettings((key) => config.get(key));
}

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Grove');
  const store = new AuthStore();
  const side = new Sidecar(context.extensionPath, output, currentSettings);
  sidecar = side;
  const auth = new AuthController(store, (params) => side.sendRequest(AuthStatusRequest, params));

  side.onNotification(AuthStatusChanged, (status) => {
    auth.statusChanged(status);
  });
  context.subscriptions.push(
    output,
    side,
    side.onDidStart(() => {
      void auth.refresh(false);
    }),
    side.onDidBecomeUnavailable((message) => {
      auth.unavailable(message);
    }),
    new Account(side, store, auth, output),
    ...registerCommands(side, output),
    ...activateWorkspaces(side, output),
    new AgentRuns(context, side, store, output),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('grove.server.path')) {
        await side.restart();
      } else if (e.affectsConfiguration('grove')) {
        await side.sendSettings(currentSettings());
        await auth.refresh(true);
      }
    }),
  );
  void side.start();
}

export function deactivate(): Promise<void> | undefined {
  return sidecar?.stop();
}
