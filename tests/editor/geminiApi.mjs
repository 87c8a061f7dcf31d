// A loopback stand-in for the Gemini API, for the real Gemini CLI in editor tests (the JS twin of tests/src/gemini_api.rs): `POST /v1beta/models/<model>:streamGenerateContent?alt=sse` answered as server-sent events — a `write_file` call of `<workspace>/hello.txt` when the latest prompt holds the trigger, a text after the tool's result, else a plain text — `:generateContent` and `GET /v1beta/models` answered plainly; a key other than KEY (header x-goog-api-key) gets 401. Every streamed request's body is kept.
import { createServer } from 'node:http';

/** The key the stand-in takes: a Gemini API key's shape. */
export const KEY = 'AIzaLoopbackStandInKey0123456789abcdefghij';
/** The model it lists. */
export const MODEL = 'gemini-2.5-flash';
/** The file a prompt holding the trigger makes the model write, and its content. */
export const WRITTEN = { path: 'hello.txt', content: 'hello from gemini\n' };

/** The texts of a request's contents, in order. */
export function texts(body) {
  return (Array.isArray(body?.contents) ? body.contents : []).flatMap((c) =>
    (Array.isArray(c?.parts) ? c.parts : []).filter((p) => typeof p?.text === 'string').map((p) => p.text),
  );
}

/** Whether the request's last content answers a tool call. */
function afterTool(body) {
  const last = Array.isArray(body?.contents) ? body.contents.at(-1) : undefined;
  return Array.isArray(last?.parts) && last.parts.some((p) => p?.functionResponse !== undefined);
}

/** The workspace directory the CLI names in its context message. */
function workspace(body) {
  const marker = '**Workspace Directories:**\n  - ';
  for (const text of texts(body)) {
    const at = text.indexOf(marker);
    if (at >= 0) return (text.slice(at + marker.length).split('\n')[0] ?? '').trim();
  }
  return '';
}

/** One answer of the model: its parts, and the usage every answer reports. */
function answer(parts) {
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
    modelVersion: MODEL,
  };
}

function send(res, status, contentType, body) {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Starts on a free loopback port.
 * @param {{trigger: string, finalText: string, plainText?: string}} options a prompt holding `trigger` writes the file;
 *   `finalText` follows the tool's result; `plainText` answers anything else.
 * @returns {Promise<{url: string, requests: object[], keys: (string | undefined)[], close: () => Promise<void>}>}
 */
export async function startGeminiApi({ trigger, finalText, plainText = 'A plain answer.' }) {
  const requests = [];
  /** The key of every request, in order. */
  const keys = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const key = req.headers['x-goog-api-key'];
      keys.push(typeof key === 'string' ? key : undefined);
      if (key !== KEY) {
        send(res, 401, 'application/json', JSON.stringify({ error: { code: 401, message: 'API key not valid (stand-in)', status: 'UNAUTHENTICATED' } }));
        return;
      }
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (req.method === 'GET' && path === '/v1beta/models') {
        send(res, 200, 'application/json', JSON.stringify({ models: [{ name: `models/${MODEL}` }] }));
        return;
      }
      if (path.endsWith(':generateContent')) {
        send(res, 200, 'application/json', JSON.stringify(answer([{ text: '{}' }])));
        return;
      }
      if (!path.endsWith(':streamGenerateContent')) {
        send(res, 404, 'application/json', JSON.stringify({ error: { code: 404, message: 'not here' } }));
        return;
      }
      let body = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // Kept as null; answered with the plain text.
      }
      requests.push(body);
      const asked = texts(body).at(-1) ?? '';
      let part;
      if (afterTool(body)) part = { text: finalText };
      else if (asked.includes(trigger)) {
        part = { functionCall: { name: 'write_file', args: { file_path: `${workspace(body)}/${WRITTEN.path}`, content: WRITTEN.content } } };
      } else part = { text: plainText };
      send(res, 200, 'text/event-stream', `data: ${JSON.stringify(answer([part]))}\r\n\r\n`);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    keys,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
