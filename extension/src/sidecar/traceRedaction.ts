// Keeps secrets out of the language client's protocol trace (`grove.trace.server`): the params of every request that carries one, and the result of every request whose result is one, as the sidecar's SECRET_FIELDS (generated from protocol.rs, the list its own trace redaction reads) says; no vscode import.
import { SECRET_FIELDS } from '../common/protocol.generated';

export const HIDDEN = '(hidden: secrets are never traced)';

/** The method a text trace header names: `Sending request 'grove/secrets/set - (7)'`. */
const HEADER_METHOD = /'([^' ]+) - \(/;

/** Whether the params (or the result) of `method` carry a secret. */
function secretData(method: string | undefined, kind: 'Params' | 'Result' | 'Error data'): boolean {
  const fields = method === undefined ? undefined : SECRET_FIELDS[method];
  if (fields === undefined) return false;
  if (kind === 'Params') return fields.params.length > 0;
  return kind === 'Result' ? fields.result : fields.result || fields.params.length > 0;
}

/** The text trace: a header naming the method, then (verbose) one piece of data starting with one of these. */
const TEXT_HEADER = /^\[Trace - [^\]]*\] /;
const TEXT_DATA = /^(Params|Result|Error data):/;

/** Any method of SECRET_FIELDS named in a piece of trace text. */
function namesSecretMethod(text: string): boolean {
  return Object.keys(SECRET_FIELDS).some((m) => text.includes(m));
}

/**
 * Rewrites what the language client writes to its trace channel, one append at a time. The text
 * format names the method in a header and writes the data next; the JSON format writes each message
 * as one line. A response's JSON has no method: the extension never asks for a value
 * (`grove/secrets/get`), so only requests carry one.
 */
export class TraceRedactor {
  /** The method the last text header named, while its data may follow. */
  private method: string | undefined;

  redact(text: string): string {
    const method = this.method;
    this.method = undefined;
    const kind = TEXT_DATA.exec(text)?.[1] as 'Params' | 'Result' | 'Error data' | undefined;
    if (kind !== undefined && secretData(method, kind)) return `${text.slice(0, text.indexOf(':') + 1)} ${HIDDEN}`;
    if (!namesSecretMethod(text)) return text;
    if (TEXT_HEADER.test(text)) {
      this.method = HEADER_METHOD.exec(text)?.[1];
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
        if ('params' in m && secretData(m.method as string, 'Params')) m.params = HIDDEN;
        return JSON.stringify(data);
      }
    }
  } catch {
    // Not JSON: hidden whole below.
  }
  return HIDDEN;
}
