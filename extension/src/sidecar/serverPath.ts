// Where the grove-server binary is taken from: the grove.server.path setting, $GROVE_SERVER_PATH, or the copy bundled in the extension; no vscode import.
import * as path from 'node:path';

export type ServerSource = 'setting' | 'env' | 'bundled';

export interface ServerLocation {
  path: string;
  source: ServerSource;
}

export interface ServerPathInputs {
  /** The `grove.server.path` setting. */
  setting: string | undefined;
  /** `$GROVE_SERVER_PATH` (for development). */
  env: string | undefined;
  /** The extension's install folder. */
  extensionPath: string;
}

/** The first of: the setting, the environment variable, the bundled `server/grove-server`. */
export function resolveServerPath(inputs: ServerPathInputs): ServerLocation {
  const setting = inputs.setting?.trim();
  if (setting) return { path: setting, source: 'setting' };
  const env = inputs.env?.trim();
  if (env) return { path: env, source: 'env' };
  return { path: path.join(inputs.extensionPath, 'server', 'grove-server'), source: 'bundled' };
}

const FROM: Record<ServerSource, string> = {
  setting: 'the grove.server.path setting',
  env: 'the GROVE_SERVER_PATH environment variable',
  bundled: 'the copy bundled with the extension',
};

/** The error shown when the binary is not there: where Grove looked and how to fix it. */
export function missingServerMessage(location: ServerLocation): string {
  const fix =
    location.source === 'bundled'
      ? 'Reinstall the Grove extension, or set grove.server.path to a grove-server binary.'
      : `Fix ${FROM[location.source]} so that it names a grove-server binary${location.source === 'setting' ? ', or clear it to use the bundled one' : ''}.`;
  return `Grove's sidecar was not found at ${location.path} (from ${FROM[location.source]}). ${fix}`;
}
