// The one message the Usage view's webview script sends its host: a click on something with `data-action` (the host checks the action with usageView's parseUsageMessage).
export interface UsageFromWebview {
  type: 'action';
  action: string;
}
