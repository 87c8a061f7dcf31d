// Routes `grove/workspace/setupOutput` lines to the "New Workspace" progress that waits for them, before `create` has answered with the id; no vscode import.
import type { SetupOutput, Workspace } from '../common/protocol';

interface Pending {
  repoPath: string;
  /** The name asked for; undefined when the sidecar generates one. */
  name: string | undefined;
  /** Workspaces that existed when the create started: not this one. */
  before: ReadonlySet<string>;
  id: string | undefined;
  onLine: (output: SetupOutput) => void;
}

export interface PendingCreate {
  /** The create answered: its workspace is this one. */
  bind(id: string): void;
  dispose(): void;
}

export class SetupOutputRouter {
  private readonly pending = new Set<Pending>();

  /**
   * A create is under way in `repoPath` (its main checkout); lines of its setup script go to
   * `onLine`. The workspace is recognised by the first `changed` notification of a new workspace
   * of that repository (with that name, when one was asked for).
   */
  expect(repoPath: string, name: string | undefined, before: Iterable<string>, onLine: (output: SetupOutput) => void): PendingCreate {
    const entry: Pending = { repoPath, name, before: new Set(before), id: undefined, onLine };
    this.pending.add(entry);
    return {
      bind: (id) => {
        entry.id = id;
      },
      dispose: () => {
        this.pending.delete(entry);
      },
    };
  }

  /** A `grove/workspace/changed` notification. */
  workspaceSeen(ws: Workspace): void {
    if ([...this.pending].some((p) => p.id === ws.id)) return;
    for (const p of this.pending) {
      if (p.id !== undefined || p.before.has(ws.id) || p.repoPath !== ws.repoPath) continue;
      if (p.name !== undefined && p.name !== ws.name) continue;
      p.id = ws.id;
      return;
    }
  }

  /** A `grove/workspace/setupOutput` notification; true when a pending create took it. */
  line(output: SetupOutput): boolean {
    for (const p of this.pending) {
      if (p.id === output.workspaceId) {
        p.onLine(output);
        return true;
      }
    }
    return false;
  }
}
