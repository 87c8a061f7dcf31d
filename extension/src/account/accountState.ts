// The sign-in state the UI shows, where it comes from (requests, notifications, errors) and who is told when it changes; no vscode import.
import { sidecarError } from '../common/errors';
import { isRecord } from '../common/json';
import { ErrorCodes, type AuthStatus, type AuthStatusParams } from '../common/protocol';

export type AuthState =
  | { kind: 'checking' }
  /** `signedOut`: not signed in, after having been signed in earlier in this window. */
  | { kind: 'status'; status: AuthStatus; signedOut?: boolean }
  | { kind: 'cliMissing'; message: string; searched: string[] }
  | { kind: 'error'; message: string };

/** Turns a failed `grove/auth/status` (a JSON-RPC error or anything thrown) into a state. */
export function stateFromError(error: unknown): AuthState {
  const { code, message, data } = sidecarError(error);
  if (code === ErrorCodes.CliNotFound) {
    const searched = isRecord(data) && Array.isArray(data.searched) ? data.searched.filter((s): s is string => typeof s === 'string') : [];
    return { kind: 'cliMissing', message, searched };
  }
  return { kind: 'error', message };
}

type Listener = (state: AuthState) => void;

/**
 * Holds the current state and tells its listeners about every change. A status that is not
 * signed in after one that was (in this window) is marked `signedOut`: "Signed out", not
 * "Not signed in".
 */
export class AuthStore {
  private current: AuthState = { kind: 'checking' };
  private readonly listeners = new Set<Listener>();
  private wasSignedIn = false;

  get state(): AuthState {
    return this.current;
  }

  set(state: AuthState): void {
    let next = state;
    if (state.kind === 'status') {
      if (state.status.loggedIn) this.wasSignedIn = true;
      next = !state.status.loggedIn && this.wasSignedIn ? { kind: 'status', status: state.status, signedOut: true } : { kind: 'status', status: state.status };
    }
    this.current = next;
    for (const listener of this.listeners) listener(next);
  }

  /** Registers a listener; the returned function unregisters it. */
  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

/**
 * Feeds the store from the sidecar: answers to `grove/auth/status` and `grove/auth/statusChanged`
 * notifications. A notification that arrives while a request is pending wins over the request's
 * answer, which may have been computed before the change the notification reports.
 */
export class AuthController {
  private notifications = 0;

  constructor(
    private readonly store: AuthStore,
    private readonly requestStatus: (params: AuthStatusParams) => Promise<AuthStatus>,
  ) {}

  /** Asks for the status (`force` re-runs the CLI); shows "checking" while waiting. */
  async refresh(force: boolean): Promise<void> {
    const seen = this.notifications;
    this.store.set({ kind: 'checking' });
    let next: AuthState;
    try {
      next = { kind: 'status', status: await this.requestStatus({ force }) };
    } catch (error) {
      next = stateFromError(error);
    }
    if (this.notifications === seen) this.store.set(next);
  }

  /** A `grove/auth/statusChanged` notification. */
  statusChanged(status: AuthStatus): void {
    this.notifications++;
    this.store.set({ kind: 'status', status });
  }

  /** The sidecar is unavailable (missing binary, crash, restart pending). */
  unavailable(message: string): void {
    this.notifications++;
    this.store.set({ kind: 'error', message });
  }
}
