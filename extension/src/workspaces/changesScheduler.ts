// Asks for a workspace's changed files without hammering the sidecar: one debounce timer per workspace (with a maximum wait), one request per workspace at a time, a few at once overall; no vscode import.

/** The timer functions the scheduler uses (injectable for tests). */
export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

export interface SchedulerOptions {
  /** How long a workspace must be quiet before its changes are asked for. */
  delayMs?: number;
  /** The longest a stream of events (an agent at work) delays the question. */
  maxWaitMs?: number;
  /** Requests in flight at once, over all workspaces. */
  maxInFlight?: number;
  timers?: Timers;
}

export class ChangesScheduler {
  private readonly delayMs: number;
  private readonly maxWaitMs: number;
  private readonly maxInFlight: number;
  private readonly timers: Timers;
  /** The timer of each waiting workspace, and when it began to wait. */
  private readonly waiting = new Map<string, { timer: unknown; since: number }>();
  /** Due, in the order they became due. */
  private readonly due: string[] = [];
  private readonly inFlight = new Set<string>();
  /** Scheduled again while in flight: asked again once the answer is in. */
  private readonly again = new Set<string>();
  private disposed = false;

  constructor(
    private readonly fetch: (id: string) => Promise<void>,
    options: SchedulerOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 750;
    this.maxWaitMs = options.maxWaitMs ?? 4_000;
    this.maxInFlight = options.maxInFlight ?? 2;
    this.timers = options.timers ?? realTimers;
  }

  /** Asks for `id`'s changes once it has been quiet for the delay (`delayMs` overrides it; 0: as soon as a slot is free). */
  schedule(id: string, delayMs = this.delayMs): void {
    if (this.disposed) return;
    if (this.inFlight.has(id)) {
      this.again.add(id);
      return;
    }
    if (this.due.includes(id)) return;
    const now = this.timers.now();
    const waiting = this.waiting.get(id);
    if (waiting !== undefined) this.timers.clearTimeout(waiting.timer);
    const since = waiting?.since ?? now;
    const delay = Math.max(0, Math.min(delayMs, since + this.maxWaitMs - now));
    const timer = this.timers.setTimeout(() => {
      this.waiting.delete(id);
      this.due.push(id);
      this.pump();
    }, delay);
    this.waiting.set(id, { timer, since });
  }

  /** Forgets `id` (archived or deleted): nothing more is asked for it. */
  forget(id: string): void {
    const waiting = this.waiting.get(id);
    if (waiting !== undefined) this.timers.clearTimeout(waiting.timer);
    this.waiting.delete(id);
    this.again.delete(id);
    const index = this.due.indexOf(id);
    if (index >= 0) this.due.splice(index, 1);
  }

  dispose(): void {
    this.disposed = true;
    for (const { timer } of this.waiting.values()) this.timers.clearTimeout(timer);
    this.waiting.clear();
    this.due.length = 0;
    this.again.clear();
  }

  private pump(): void {
    while (!this.disposed && this.inFlight.size < this.maxInFlight) {
      const id = this.due.shift();
      if (id === undefined) return;
      this.inFlight.add(id);
      void this.fetch(id)
        .catch(() => undefined)
        .finally(() => {
          this.inFlight.delete(id);
          if (this.again.delete(id)) this.schedule(id);
          this.pump();
        });
    }
  }
}
