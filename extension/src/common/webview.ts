// What Grove's webviews (the agent panel, the Usage view) share: HTML escaping, the document head with its strict CSP, the common stylesheet's name and where the compiled scripts are; no vscode import.

/** The stylesheet in `media/` every webview loads before its own: the editor's font and colours, buttons. */
export const COMMON_STYLESHEET = 'webview.css';

/** Where the webview scripts are, in the extension's folder: compiled from each `webview/main.ts` under `src` by `build.mjs` (`agent-panel.js`, `usage.js`). */
export const WEBVIEW_SCRIPTS_DIR: readonly string[] = ['dist', 'webview'];

/** What a page needs from its webview: the CSP source, a fresh nonce, its script and its stylesheets (the common one first). */
export interface WebviewPage {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUris: readonly string[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML text and for attribute values in double or single quotes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** The start of a webview page, up to `</head>`: its CSP, stylesheets (in order) and (escaped) title. */
export function documentHead(csp: string, styleUris: readonly string[], title: string): string {
  const links = styleUris.map((uri) => `<link rel="stylesheet" href="${escapeHtml(uri)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${links}
<title>${escapeHtml(title)}</title>
</head>`;
}

/** The page's one script, loaded with the nonce (the CSP allows no other). */
export function scriptTag(page: WebviewPage): string {
  return `<script nonce="${escapeHtml(page.nonce)}" src="${escapeHtml(page.scriptUri)}"></script>`;
}
