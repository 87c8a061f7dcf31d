// The extension's entry point: wires the sidecar, the sign-in state, the status bar, the Account and Usage views, the commands and the settings together.
import * as vscode from 'vscode';
import { Account } from './account';
import { AgentRuns } from './agents';
import { AuthController, AuthStore } from './authState';
import { registerCommands } from './commands';
import { AuthStatusChanged, AuthStatusRequest, type GroveSettings } from './protocol';
import { groveSettings } from './settings';
import { registerSecretCommands } from './secrets';
import { Sidecar } from './sidecar';
import { Usage } from './usage';
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
  const usage = new Usage(context.extensionUri, side, output);

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
    usage,
    new Account(side, store, auth, output, usage),
    ...registerCommands(side, output),
    ...registerSecretCommands(side, output),
    ...activateWorkspaces(side, output, store),
    new AgentRuns(context, side, store, output),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('grove.server.path')) {
        await side.restart();
      } else if (e.affectsConfiguration('grove')) {
        await side.sendSettings(currentSettings());
        // After the sidecar has the setting: usage is read only while it is on.
        usage.settingsChanged();
        await auth.refresh(true);
      }
    }),
  );
  void side.start();
}

export function deactivate(): Promise<void> | undefined {
  return sidecar?.stop();
}
