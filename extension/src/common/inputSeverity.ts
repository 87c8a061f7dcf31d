// The severity of an input box's message, as Grove's models say it ('error' | 'warning' | 'info', no vscode import there) made into the editor's InputBoxValidationSeverity: one mapping for every step that checks as the user types.
import * as vscode from 'vscode';

/** A message's severity as the models (name step, Add Profile steps) word it. */
export type InputSeverity = 'error' | 'warning' | 'info';

const SEVERITY: Record<InputSeverity, vscode.InputBoxValidationSeverity> = {
  error: vscode.InputBoxValidationSeverity.Error,
  warning: vscode.InputBoxValidationSeverity.Warning,
  info: vscode.InputBoxValidationSeverity.Info,
};

/** The editor's severity for a model's. */
export function inputSeverity(severity: InputSeverity): vscode.InputBoxValidationSeverity {
  return SEVERITY[severity];
}

/** An input box's validation message from a model's text and severity; undefined (no message) for undefined. */
export function validationMessage(message: { text: string; severity: InputSeverity } | undefined): vscode.InputBoxValidationMessage | undefined {
  return message === undefined ? undefined : { message: message.text, severity: inputSeverity(message.severity) };
}
