// The latest profile listing the sidecar gave (`grove/profiles/list` at start, then every `grove/profiles/changed`), and who is told when it changes; no vscode import.
import type { ProfilesList } from '../common/protocol';

type Listener = (list: ProfilesList) => void;

/**
 * Holds the latest listing. A notification that arrives while a list request is pending wins over
 * the request's answer, which may have been computed before the change the notification reports.
 */
export class ProfileStore {
  private current: ProfilesList | undefined;
  private readonly listeners = new Set<Listener>();
  private notifications = 0;

  /** Undefined until the sidecar answered once. */
  get list(): ProfilesList | undefined {
    return this.current;
  }

  /** Asks for the listing; a failure leaves the last one in place and is rethrown. */
  async load(request: () => Promise<ProfilesList>): Promise<void> {
    const seen = this.notifications;
    const list = await request();
    if (this.notifications === seen) this.set(list);
  }

  /** A `grove/profiles/changed` notification (or an answer that carries the whole listing). */
  changed(list: ProfilesList): void {
    this.notifications++;
    this.set(list);
  }

  /** Registers a listener; the returned object unregisters it. */
  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private set(list: ProfilesList): void {
    this.current = list;
    for (const listener of this.listeners) listener(list);
  }
}
