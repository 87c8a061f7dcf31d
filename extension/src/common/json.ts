// The one type guard for untyped JSON the extension reads (sidecar error data, command arguments, webview messages); no vscode import.

/** A JSON object (or any non-null object), whose fields can be read as `unknown`. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
