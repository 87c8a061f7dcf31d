// The plugin-secret commands: "Grove: Set Secret…" (key, then a password box for the value) and "Grove: Delete Secret…"; values are never shown or logged.
import * as vscode from 'vscode';
import { Commands } from '../common/commands';
import { errorMessage } from '../common/errors';
import { SecretDeleteRequest, SecretListRequest, SecretSetRequest } from '../common/protocol';
import { secretKeyProblem } from './secretKey';
import type { Sidecar } from '../sidecar/sidecar';

export function registerSecretCommands(sidecar: Sidecar, output: vscode.OutputChannel): vscode.Disposable[] {
  /** Only keys and outcomes are logged, never a value. */
  const log = (line: string): void => {
    output.appendLine(`[grove ${new Date().toLocaleTimeString()}] secrets: ${line}`);
  };
  const listKeys = async (): Promise<string[]> => (await sidecar.sendRequest(SecretListRequest, {})).keys;

  const setSecret = async (): Promise<void> => {
    const typed = await vscode.window.showInputBox({
      title: 'Set a plugin secret (1/2): key',
      prompt: "The name plugins read the secret by. It is kept with the Claude CLI's credentials, under pluginSecrets.",
      placeHolder: 'my-plugin.api-token',
      ignoreFocusOut: true,
      validateInput: (value) => secretKeyProblem(value.trim()),
    });
    if (typed === undefined) return;
    const key = typed.trim();
    // Only to say that a value will be replaced; a failure here is the set's to report.
    const exists = await listKeys().then(
      (keys) => keys.includes(key),
      () => false,
    );
    const value = await vscode.window.showInputBox({
      title: `Set a plugin secret (2/2): value of “${key}”`,
      prompt: exists
        ? 'This replaces the current value. Grove never shows or logs it.'
        : "Stored with the Claude CLI's credentials on this computer. Grove never shows or logs it.",
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v === '' ? "Type the secret's value." : undefined),
    });
    if (value === undefined) return;
    try {
      await sidecar.sendRequest(SecretSetRequest, { key, value });
    } catch (error) {
      log(`storing the secret “${key}” failed: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Grove could not store the secret “${key}”: ${errorMessage(error)}`);
      return;
    }
    log(`stored the secret “${key}”`);
    void vscode.window.showInformationMessage(`Secret “${key}” saved.`);
  };

  const deleteSecret = async (): Promise<void> => {
    let keys: string[];
    try {
      keys = await listKeys();
    } catch (error) {
      log(`listing the secrets failed: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Grove could not list the secrets: ${errorMessage(error)}`);
      return;
    }
    if (keys.length === 0) {
      void vscode.window.showInformationMessage('No plugin secrets are stored.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      keys.map((key) => ({ label: key })),
      { title: 'Delete a plugin secret', placeHolder: 'Which secret?' },
    );
    if (picked === undefined) return;
    const key = picked.label;
    const remove = 'Delete';
    const choice = await vscode.window.showWarningMessage(
      `Delete the secret “${key}”?`,
      { modal: true, detail: 'Plugins that read it will no longer find it, and its value cannot be recovered.' },
      remove,
    );
    if (choice !== remove) return;
    try {
      await sidecar.sendRequest(SecretDeleteRequest, { key });
    } catch (error) {
      log(`deleting the secret “${key}” failed: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Grove could not delete the secret “${key}”: ${errorMessage(error)}`);
      return;
    }
    log(`deleted the secret “${key}”`);
    void vscode.window.showInformationMessage(`Secret “${key}” deleted.`);
  };

  return [vscode.commands.registerCommand(Commands.setSecret, setSecret), vscode.commands.registerCommand(Commands.deleteSecret, deleteSecret)];
}
