// The extension's entry point: wires the sidecar, the agent CLIs' registry, the sign-in state, the status bar, the Account, Workspaces and Usage views, landing, the agent panels, the commands and the settings together.
import * as vscode from 'vscode';
import { Account } from './account/account';
import { AgentRuns } from './agents/agents';
import { Settings } from './common/commands';
import { AuthController, AuthStore } from './account/accountState';
import { registerSidecarCommands } from './sidecar/sidecarCommands';
import { AgentsChanged, AgentsListRequest, AuthStatusChanged, AuthStatusRequest, type GroveSettings } from './common/protocol';
import { AgentCliStore } from './agentClis/agentCliStore';
import { errorMessage } from './common/errors';
import { groveSettings } from './sidecar/settings';
import { registerSecretCommands } from './secrets/secrets';
import { Sidecar } from './sidecar/sidecar';
import { Usage } from './usage/usage';
import { Profiles } from './profiles/profiles';
import { activateWorkspaces } from './workspaces/workspaces';
import { Landing } from './landing/landing';

let sidecar: Sidecar | undefined;

function currentSettings(): GroveSettings {
  const config = vscode.workspace.getConfiguration(Settings.section);
  // Every `grove.*Path` setting goes as it is (an agent CLI's binary, whatever the agent).
  return groveSettings((key) => config.get(key), Object.keys(config));
}

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Grove');
  const store = new AuthStore();
  const side = new Sidecar(context.extensionPath, output, currentSettings);
  sidecar = side;
  const auth = new AuthController(store, (params) => side.sendRequest(AuthStatusRequest, params));
  // The agent CLIs the sidecar runs: asked for at each start, then told on every change.
  const agentClis = new AgentCliStore();
  side.onNotification(AgentsChanged, (params) => {
    agentClis.changed(params.agents);
  });
  const usage = new Usage(context.extensionUri, side, output);
  const profiles = new Profiles(context, side, output, agentClis);
  const workspaces = activateWorkspaces(side, output, store, context.workspaceState, agentClis);
  const landing = new Landing(side, workspaces.store, workspaces.sync, output);

  side.onNotification(AuthStatusChanged, (status) => {
    auth.statusChanged(status);
  });
  context.subscriptions.push(
    output,
    side,
    side.onDidStart(() => {
      void auth.refresh(false);
      agentClis
        .load(() => side.sendRequest(AgentsListRequest, {}))
        .catch((error: unknown) => {
          output.appendLine(`[grove ${new Date().toLocaleTimeString()}] agents list: ${errorMessage(error)}`);
        });
    }),
    side.onDidBecomeUnavailable((message) => {
      auth.unavailable(message);
    }),
    usage,
    profiles,
    new Account(side, store, auth, output, usage, profiles.store, agentClis),
    ...registerSidecarCommands(side, output),
    ...registerSecretCommands(side, output),
    ...workspaces.disposables,
    landing,
    new AgentRuns(context, side, store, output, profiles.store, landing, agentClis),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration(Settings.serverPath)) {
        await side.restart();
      } else if (e.affectsConfiguration(Settings.section)) {
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
