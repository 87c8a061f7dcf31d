// Builds the GroveSettings the sidecar receives from the editor's `grove.*` configuration; no vscode import.
import type { GroveSettings } from './protocol';

/** Reads one key of the `grove` configuration section (e.g. "claudePath"). */
export type ConfigGetter = (key: string) => unknown;

/** The settings object for `initializationOptions` and `workspace/didChangeConfiguration`. */
export function groveSettings(get: ConfigGetter): GroveSettings {
  const settings: GroveSettings = {};
  const claudePath = nonEmptyString(get('claudePath'));
  if (claudePath !== undefined) settings.claudePath = claudePath;
  return settings;
}

/** The params of `workspace/didChangeConfiguration`: `{settings: {grove: GroveSettings}}`. */
export function didChangeConfigurationParams(settings: GroveSettings): { settings: { grove: GroveSettings } } {
  return { settings: { grove: settings } };
}

function nonEmptyString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
