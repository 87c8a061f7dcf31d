// Renders the agent's Markdown to safe HTML for the agent panel: raw HTML is escaped, images are not loaded, links are plain http(s)/mailto; no vscode import.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });

// Images would fetch from anywhere (the panel's CSP blocks them anyway): the alt text is shown instead.
md.disable('image');

const SAFE_LINK = /^(https?:|mailto:)/i;

// Only absolute http(s) and mailto links become links; markdown-it already refuses javascript:, data: and the like.
md.validateLink = (url: string): boolean => SAFE_LINK.test(url.trim());

const defaultLinkOpen = md.renderer.rules.link_open;
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token) {
    const href = token.attrGet('href') ?? '';
    // The URL is shown on hover; the panel opens links with the editor's link handling.
    token.attrSet('title', href);
  }
  return defaultLinkOpen ? defaultLinkOpen(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
};

/** The HTML of a Markdown text; everything that is not Markdown (HTML tags included) is escaped. */
export function renderMarkdown(text: string): string {
  return md.render(text);
}
