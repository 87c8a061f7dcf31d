// The Usage view's webview script: sends the clicks of its buttons and of the claude.ai link to the extension (the page itself is rendered, already escaped, by the extension; usageView's parseUsageMessage checks what arrives).
import type { UsageFromWebview } from './usageMessages';

declare function acquireVsCodeApi(): { postMessage(message: UsageFromWebview): void };

const vscode = acquireVsCodeApi();

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-action]') : null;
  if (!target) return;
  event.preventDefault();
  vscode.postMessage({ type: 'action', action: target.getAttribute('data-action') ?? '' });
});
