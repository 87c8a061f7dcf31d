// The Usage feature in the editor: the Usage webview view (bars, refresh, Enable, Sign In), its refresh schedule, and the last answer for the status-bar tooltip.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { Commands, Settings, Views } from '../common/commands';
import { sidecarError } from '../common/errors';
import { UsageGetRequest, type UsageResult } from '../common/protocol';
import { COMMON_STYLESHEET, WEBVIEW_SCRIPTS_DIR } from '../common/webview';
import type { Sidecar } from '../sidecar/sidecar';
import { failedState, INITIAL_USAGE_STATE, USAGE_SETTING_KEY, USAGE_SETTINGS_URL, usageProblem, type UsageState } from './usageModel';
import { parseUsageMessage, usageBody, usagePageHtml, type UsageAction } from './usageView';

/**
 * How often the view asks again while it is shown. The sidecar caches an answer 5 minutes: a few
 * seconds more make each poll find the cache expired rather than just short of it.
 */
const POLL_MS = 5 * 60_000 + 5_000;
/** How often the reset times in words are brought up to date (no request). */
const TICK_MS = 60_000;

/** The last usage answer, for the status bar; undefined while usage insights are off. */
export interface UsageFeed {
  readonly latest: UsageResult | undefined;
  readonly onDidChange: vscode.Event<void>;
}

function readEnabled(): boolean {
  return vscode.workspace.getConfiguration(Settings.section).get<boolean>(USAGE_SETTING_KEY) === true;
}

export class Usage implements vscode.WebviewViewProvider, UsageFeed, vscode.Disposable {
  private state: UsageState = { ...INITIAL_USAGE_STATE, enabled: readEnabled() };
  private view: vscode.WebviewView | undefined;
  private viewSubscriptions: vscode.Disposable[] = [];
  /** The body last given to the webview, so that an unchanged page is not reloaded. */
  private shownBody: string | undefined;
  private poll: ReturnType<typeof setInterval> | undefined;
  private tick: ReturnType<typeof setInterval> | undefined;
  /** Bumped by every request and every switch of the setting: older answers are dropped. */
  private generation = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly sidecar: Sidecar,
    private readonly output: vscode.OutputChannel,
  ) {
    this.disposables = [
      vscode.window.registerWebviewViewProvider(Views.usage, this),
      vscode.commands.registerCommand(Commands.refreshUsage, () => this.refresh(true)),
      // A restarted sidecar has an empty cache; the view asks again if it is shown.
      sidecar.onDidStart(() => {
        if (this.visible) void this.refresh(false);
      }),
    ];
  }

  get latest(): UsageResult | undefined {
    return this.state.enabled ? this.state.result : undefined;
  }

  private get visible(): boolean {
    return this.view?.visible === true;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    for (const d of this.viewSubscriptions) d.dispose();
    this.view = view;
    this.shownBody = undefined;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, ...WEBVIEW_SCRIPTS_DIR)],
    };
    this.viewSubscriptions = [
      view.webview.onDidReceiveMessage((message: unknown) => {
        const action = parseUsageMessage(message);
        if (action) void this.run(action);
      }),
      view.onDidChangeVisibility(() => {
        this.visibilityChanged();
      }),
      view.onDidDispose(() => {
        if (this.view !== view) return;
        for (const d of this.viewSubscriptions) d.dispose();
        this.viewSubscriptions = [];
        this.view = undefined;
        this.updateTimers();
      }),
    ];
    this.visibilityChanged();
  }

  /** Call after the settings went to the sidecar: `grove.usageInsights.enabled` may have changed. */
  settingsChanged(): void {
    const enabled = readEnabled();
    if (enabled === this.state.enabled) return;
    this.generation++;
    this.log(enabled ? 'usage insights turned on' : 'usage insights turned off');
    this.setState({ ...INITIAL_USAGE_STATE, enabled });
    if (enabled && this.visible) void this.refresh(false);
  }

  private visibilityChanged(): void {
    // A hidden webview view loses its page; it is built again when shown.
    this.shownBody = undefined;
    this.render();
    this.updateTimers();
    if (this.visible) void this.refresh(false);
  }

  /** Asks the sidecar (only while the setting is on); `force` skips its 5-minute cache. */
  private async refresh(force: boolean): Promise<void> {
    if (!this.state.enabled) return;
    const generation = ++this.generation;
    // A background poll does not say "refreshing…": the page would be reloaded twice for nothing.
    if (force || this.state.result === undefined) this.setState({ ...this.state, loading: true });
    try {
      const result = await this.sidecar.sendRequest(UsageGetRequest, force ? { force: true } : {});
      if (generation !== this.generation) return;
      this.setState({ enabled: true, loading: false, result, problem: undefined });
    } catch (error) {
      if (generation !== this.generation) return;
      const { code, message } = sidecarError(error);
      // The sidecar's messages carry no token; -32032 is also its lastFailure, which the sign-in UI alerts on.
      this.log(`usage could not be read: ${message}`);
      this.setState(failedState(this.state, usageProblem(code, message)));
    }
  }

  private async run(action: UsageAction): Promise<void> {
    switch (action) {
      case 'enable':
        await vscode.workspace.getConfiguration(Settings.section).update(USAGE_SETTING_KEY, true, vscode.ConfigurationTarget.Global);
        break;
      case 'refresh':
        await this.refresh(true);
        break;
      case 'signIn':
        await vscode.commands.executeCommand(Commands.signIn);
        break;
      case 'openUsagePage':
        await vscode.env.openExternal(vscode.Uri.parse(USAGE_SETTINGS_URL));
        break;
    }
  }

  private setState(state: UsageState): void {
    this.state = state;
    this.render();
    this.updateTimers();
    this.changed.fire();
  }

  private render(): void {
    const view = this.view;
    if (!view?.visible) return;
    const body = usageBody(this.state, new Date());
    if (body === this.shownBody) return;
    this.shownBody = body;
    const webview = view.webview;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    webview.html = usagePageHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...WEBVIEW_SCRIPTS_DIR, 'usage.js')).toString(),
      styleUris: [COMMON_STYLESHEET, 'usage.css'].map((file) => webview.asWebviewUri(vscode.Uri.joinPath(media, file)).toString()),
      body,
    });
  }

  /** Polls only while the setting is on and the view shown; the minute tick only while there is an answer to word. */
  private updateTimers(): void {
    const poll = this.state.enabled && this.visible;
    if (poll && !this.poll) {
      this.poll = setInterval(() => void this.refresh(false), POLL_MS);
    } else if (!poll && this.poll) {
      clearInterval(this.poll);
      this.poll = undefined;
    }
    const tick = this.state.enabled && this.state.result !== undefined;
    if (tick && !this.tick) {
      this.tick = setInterval(() => {
        this.render();
        this.changed.fire();
      }, TICK_MS);
    } else if (!tick && this.tick) {
      clearInterval(this.tick);
      this.tick = undefined;
    }
  }

  private log(line: string): void {
    this.output.appendLine(`[grove ${new Date().toLocaleTimeString()}] usage: ${line}`);
  }

  dispose(): void {
    this.generation++;
    if (this.poll) clearInterval(this.poll);
    if (this.tick) clearInterval(this.tick);
    for (const d of [...this.viewSubscriptions, ...this.disposables]) d.dispose();
    this.changed.dispose();
  }
}
