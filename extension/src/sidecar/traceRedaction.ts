// Keeps plugin secrets out of the language client's protocol trace (`grove.trace.server`): the data of every grove/secrets/* message is replaced; no vscode import.

const SECRETS_PREFIX = 'grove/secrets/';
export const HIDDEN = '(hidden: plugin secrets are never traced)';

/** The text trace: a header naming the method, then (verbose) one piece of data starting with one of these. */
const TEXT_HEADER = /^\[Trace - [^\]]*\] /;
const TEXT_DATA = /^(Params|Result|Error data):/;

/**
 * Rewrites what the language client writes to its trace channel, one append at a time. The text
 * format names the method in a header and writes the data next; the JSON format writes each message
 * as one line. A response's JSON has no method: the extension never asks for a value
 * (`grove/secrets/get`), so only requests carry one.
 */
export class TraceRedactor {
  private hideNext = false;

  redact(text: string): string {
    const hide = this.hideNext;
    this.hideNext = false;
    if (hide && TEXT_DATA.test(text)) return `${text.slice(0, text.indexOf(':') + 1)} ${HIDDEN}`;
    if (!text.includes(SECRETS_PREFIX)) return text;
    if (TEXT_HEADER.test(text)) {
      this.hideNext = true;
      return text;
    }
    return redactJson(text);
  }
}

function redactJson(text: string): string {
  try {
    const data = JSON.parse(text) as unknown;
    if (typeof data === 'object' && data !== null) {
      const message = (data as { message?: unknown }).message;
      if (typeof message === 'object' && message !== null && typeof (message as { method?: unknown }).method === 'string') {
        const m = message as Record<string, unknown>;
        if ('params' in m) m.params = HIDDEN;
        return JSON.stringify(data);
      }
    }
  } catch {
    // Not JSON: hidden whole below.
  }
  return HIDDEN;
}
