// The grove-server sidecar's lifecycle: finds and checks the binary, runs it over stdio, restarts it with a backoff when it dies, and forwards settings.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { access, chmod, constants, stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { NotificationType, RequestType } from 'vscode-jsonrpc';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { Settings, settingKey } from '../common/commands';
import { errorMessage } from '../common/errors';
import { isRecord } from '../common/json';
import { PROTOCOL_VERSION, type GroveSettings } from '../common/protocol';
import { RestartPolicy } from './restartPolicy';
import { missingServerMessage, resolveServerPath, type ServerLocation } from './serverPath';
import { didChangeConfigurationParams } from './settings';
import { TraceRedactor } from './traceRedaction';

const VERSION_TIMEOUT_MS = 10_000;
const run = promisify(execFile);

interface Subscription {
  dispose(): unknown;
}

/** A language client that never pops up its own error messages: Grove decides what the user sees. */
class QuietLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown): void {
    super.error(message, data, false);
  }
}

export class Sidecar implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private clientSubscriptions: Subscription[] = [];
  private readonly policy = new RestartPolicy();
  /** Set while a crashed sidecar waits for its restart; calling it restarts at once. */
  private skipWait: (() => void) | undefined;
  private disposed = false;
  private readonly notificationHandlers: ((client: LanguageClient) => Subscription)[] = [];
  private readonly handlersByMethod = new Map<string, ((params: never) => void)[]>();
  private readonly runningEmitter = new vscode.EventEmitter<void>();
  private readonly unavailableEmitter = new vscode.EventEmitter<string>();

  /** Fires each time the sidecar is up and initialized (first start and every restart). */
  readonly onDidStart = this.runningEmitter.event;
  /** Fires with a message for people when the sidecar is missing, failed to start or died. */
  readonly onDidBecomeUnavailable = this.unavailableEmitter.event;

  constructor(
    private readonly extensionPath: string,
    private readonly output: vscode.OutputChannel,
    private readonly settings: () => GroveSettings,
  ) {}

  /**
   * Handles a notification from the sidecar, across restarts. Several handlers of one method all
   * run, in the order they were added (the language client itself keeps only the last one).
   */
  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): void {
    const existing = this.handlersByMethod.get(type.method) as ((params: P) => void)[] | undefined;
    if (existing) {
      existing.push(handler);
      return;
    }
    const handlers = [handler];
    this.handlersByMethod.set(type.method, handlers);
    const register = (client: LanguageClient): Subscription =>
      client.onNotification(type, (params: P) => {
        for (const h of handlers) {
          try {
            h(params);
          } catch (error) {
            this.log(`a handler of ${type.method} failed: ${errorMessage(error)}`);
          }
        }
      });
    this.notificationHandlers.push(register);
    if (this.client) this.clientSubscriptions.push(register(this.client));
  }

  /** Sends a request; fails at once when the sidecar is not running. */
  async sendRequest<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
    const client = this.client;
    if (!client?.isRunning()) throw new Error("Grove's sidecar is not running. Run “Grove: Restart Sidecar” or see “Grove: Show Logs”.");
    return client.sendRequest(type, params);
  }

  /** Sends the current settings as `workspace/didChangeConfiguration`. */
  async sendSettings(settings: GroveSettings): Promise<void> {
    const client = this.client;
    if (!client?.isRunning()) return;
    await client.sendNotification(DidChangeConfigurationNotification.type, didChangeConfigurationParams(settings));
  }

  /** Finds and checks the binary, then starts it. Failures are logged and reported, never thrown. */
  async start(): Promise<void> {
    const location = resolveServerPath({
      setting: vscode.workspace.getConfiguration(Settings.section).get<string>(settingKey(Settings.serverPath)),
      env: process.env.GROVE_SERVER_PATH,
      extensionPath: this.extensionPath,
    });
    const version = await this.checkBinary(location);
    if (version === undefined || this.disposed) return;
    this.log(`starting ${location.path} (${location.source}): ${version}`);

    const client = this.createClient(location.path);
    this.client = client;
    this.clientSubscriptions = [
      client.onDidChangeState((e) => {
        if (client === this.client && e.newState === State.Running) this.started(client);
      }),
      ...this.notificationHandlers.map((register) => register(client)),
    ];
    try {
      await client.start();
    } catch (error) {
      if (client === this.client) this.unavailable(`Grove's sidecar failed to start: ${errorMessage(error)}`);
    }
  }

  /** "Grove: Restart Sidecar": a pending automatic restart happens now; otherwise stop and start again. */
  async restart(): Promise<void> {
    if (this.skipWait) {
      this.skipWait();
      return;
    }
    await this.stopClient();
    await this.start();
  }

  /** Stops the sidecar (shutdown, exit) and restarts nothing. */
  async stop(): Promise<void> {
    this.disposed = true;
    this.skipWait?.();
    await this.stopClient();
  }

  dispose(): void {
    void this.stop();
    this.runningEmitter.dispose();
    this.unavailableEmitter.dispose();
  }

  private createClient(command: string): LanguageClient {
    const serverOptions: ServerOptions = { command, args: [], transport: TransportKind.stdio, options: { env: sidecarEnv() } };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [],
      outputChannel: this.output,
      // The protocol trace (`grove.trace.server`) would show a secret's value: its data is hidden.
      traceOutputChannel: new SecretSafeTrace(this.output),
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // A function, so that every (re)start sends the settings of that moment.
      initializationOptions: () => this.settings(),
      errorHandler: this.errorHandler(),
    };
    return new QuietLanguageClient('grove', 'Grove', serverOptions, clientOptions);
  }

  private errorHandler(): ErrorHandler {
    return {
      error: (error) => {
        this.log(`connection error: ${error.message}`);
        return { action: ErrorAction.Continue, handled: true };
      },
      closed: () => this.closed(),
    };
  }

  /** The sidecar died: wait (backoff), tell the user once per session, and let the client restart it. */
  private async closed(): Promise<CloseHandlerResult> {
    if (this.disposed) return { action: CloseAction.DoNotRestart, handled: true };
    const delay = this.policy.nextDelay(Date.now());
    this.unavailable(`Grove's sidecar stopped unexpectedly; restarting it in ${delay / 1000} s.`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      this.skipWait = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.skipWait = undefined;
    // stop() may have been called during the wait.
    if (this.isStopped()) return { action: CloseAction.DoNotRestart, handled: true };
    if (this.policy.shouldNotify()) void this.notifyCrash();
    return { action: CloseAction.Restart, message: "Restarting Grove's sidecar.", handled: true };
  }

  private async notifyCrash(): Promise<void> {
    const showLogs = 'Show Logs';
    const choice = await vscode.window.showWarningMessage("Grove's sidecar stopped unexpectedly and was restarted.", showLogs);
    if (choice === showLogs) this.output.show(true);
  }

  private isStopped(): boolean {
    return this.disposed;
  }

  private started(client: LanguageClient): void {
    this.policy.started(Date.now());
    const announced: unknown = client.initializeResult?.capabilities.experimental;
    const version = isRecord(announced) && isRecord(announced.grove) ? announced.grove.protocolVersion : undefined;
    if (version !== PROTOCOL_VERSION) {
      this.log(`the sidecar speaks protocol version ${String(version)}, this extension ${PROTOCOL_VERSION}`);
      void vscode.window.showWarningMessage(
        `Grove's sidecar speaks protocol version ${String(version)}, but the extension expects ${PROTOCOL_VERSION}. Reinstall Grove or fix grove.server.path.`,
      );
    }
    this.runningEmitter.fire();
  }

  private unavailable(message: string): void {
    this.log(message);
    this.unavailableEmitter.fire(message);
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.clientSubscriptions) d.dispose();
    this.clientSubscriptions = [];
    if (!client) return;
    try {
      await client.dispose();
    } catch (error) {
      this.log(`stopping the sidecar: ${errorMessage(error)}`);
    }
  }

  /** The binary's `--version` line, or undefined (reported to the user) when it is missing or broken. */
  private async checkBinary(location: ServerLocation): Promise<string | undefined> {
    const file = await stat(location.path).catch(() => undefined);
    if (!file?.isFile()) {
      this.reportBrokenBinary(missingServerMessage(location));
      return undefined;
    }
    // A .vsix may lose the executable bit of the bundled binary.
    if (location.source === 'bundled') {
      await access(location.path, constants.X_OK)
        .catch(() => chmod(location.path, 0o755))
        .catch(() => undefined);
    }
    try {
      const { stdout } = await run(location.path, ['--version'], { timeout: VERSION_TIMEOUT_MS });
      return stdout.trim();
    } catch (error) {
      this.reportBrokenBinary(`Grove's sidecar at ${location.path} (${location.source}) did not run: ${errorMessage(error)}`);
      return undefined;
    }
  }

  private reportBrokenBinary(message: string): void {
    this.unavailable(message);
    const openSettings = 'Open Settings';
    const showLogs = 'Show Logs';
    void vscode.window.showErrorMessage(message, openSettings, showLogs).then((choice) => {
      if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', Settings.serverPath);
      if (choice === showLogs) this.output.show(true);
    });
  }

  private log(line: string): void {
    this.output.appendLine(`[grove ${new Date().toLocaleTimeString()}] ${line}`);
  }
}

/** The output channel for the protocol trace, with grove/secrets/* data hidden; disposing it leaves the channel open. */
class SecretSafeTrace implements vscode.OutputChannel {
  private readonly redactor = new TraceRedactor();

  constructor(private readonly output: vscode.OutputChannel) {}

  get name(): string {
    return this.output.name;
  }

  append(value: string): void {
    this.output.append(this.redactor.redact(value));
  }

  appendLine(value: string): void {
    this.output.appendLine(this.redactor.redact(value));
  }

  replace(value: string): void {
    this.output.replace(this.redactor.redact(value));
  }

  clear(): void {
    this.output.clear();
  }

  /** Either form of show() reveals the channel. */
  show(preserveFocus?: unknown): void {
    this.output.show(preserveFocus === true);
  }

  hide(): void {
    this.output.hide();
  }

  dispose(): void {
    // The channel is the extension's.
  }
}

/**
 * The sidecar's environment: the extension host's, except that in a browser-based or remote editor
 * the CLI is told not to open a browser itself (`BROWSER=true`, which the claude CLI treats as "no
 * browser"): it would open its loopback callback page, which cannot work from the user's machine,
 * behind an unrequested "open external website?" dialog. Grove's sign-in notification opens the
 * page that can (the one that shows a code) when the user asks.
 */
function sidecarEnv(): NodeJS.ProcessEnv {
  const remote = vscode.env.remoteName !== undefined || vscode.env.uiKind === vscode.UIKind.Web;
  return remote ? { ...process.env, BROWSER: 'true' } : { ...process.env };
}
