// When to restart a crashed sidecar (exponential backoff, reset after a stable run) and whether to tell the user; no vscode import.

export interface RestartPolicyOptions {
  /** The first delay. */
  initialMs: number;
  /** The longest delay. */
  maxMs: number;
  /** A run at least this long counts as stable and resets the backoff. */
  stableMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = { initialMs: 1_000, maxMs: 30_000, stableMs: 60_000 };

export class RestartPolicy {
  private attempts = 0;
  private startedAt: number | undefined;
  private notified = false;

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  /** The sidecar (re)started at `now` (ms). */
  started(now: number): void {
    this.startedAt = now;
  }

  /** The delay before restarting after a crash at `now`: 1 s, 2 s, 4 s … capped; reset after a stable run. */
  nextDelay(now: number): number {
    if (this.startedAt !== undefined && now - this.startedAt >= this.options.stableMs) this.attempts = 0;
    const delay = Math.min(this.options.initialMs * 2 ** this.attempts, this.options.maxMs);
    this.attempts++;
    return delay;
  }

  /** True the first time only: the user is told about a crash once per session. */
  shouldNotify(): boolean {
    if (this.notified) return false;
    this.notified = true;
    return true;
  }
}
