// A loopback stand-in for an OpenAI-compatible chat-completions server (Ollama's `/v1`, LM Studio, a gateway), for the real opencode in editor tests (the JS twin of tests/src/chat_api.rs): streamed `POST /v1/chat/completions` — a request without `tools` is the title request (plain text); opencode's `write` of `<cwd>/hello.txt` when the latest user message holds the trigger; a text after the tool's result, else a plain text — then `data: [DONE]`; `GET /v1/models` and Ollama's `GET /api/tags` list MODEL. Every turn request's body is kept.
import { createServer } from 'node:http';

/** The model it serves. */
export const MODEL = 'm1';
/** The file a prompt holding the trigger makes the model write, and its content. */
export const WRITTEN = { path: 'hello.txt', content: 'hello from opencode\n' };

/** The texts of a request's user messages, in order. */
export function userTexts(body) {
  return (Array.isArray(body?.messages) ? body.messages : [])
    .filter((m) => m?.role === 'user')
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));
}

/** Whether the request's last message is a tool's result. */
function afterTool(body) {
  const last = Array.isArray(body?.messages) ? body.messages.at(-1) : undefined;
  return last?.role === 'tool';
}

/** The working directory opencode names in its system prompt. */
function workingDirectory(body) {
  const marker = 'Working directory: ';
  for (const m of Array.isArray(body?.messages) ? body.messages : []) {
    if (typeof m?.content !== 'string') continue;
    const at = m.content.indexOf(marker);
    if (at >= 0) return (m.content.slice(at + marker.length).split('\n')[0] ?? '').trim();
  }
  return '';
}

/** The streamed chunks of one answer: its delta, then the finish with the usage, then [DONE]. */
function stream(delta, finish) {
  const chunk = (d, f) => ({
    id: 'chatcmpl-loopback',
    object: 'chat.completion.chunk',
    created: 0,
    model: MODEL,
    choices: [{ index: 0, delta: d, finish_reason: f }],
  });
  const last = { ...chunk({}, finish), usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } };
  return [chunk(delta, null), last].map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n';
}

function send(res, status, contentType, body) {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Starts on a free loopback port.
 * @param {{trigger: string, finalText: string, plainText?: string}} options a prompt holding `trigger` writes the file;
 *   `finalText` follows the tool's result; `plainText` answers anything else.
 * @returns {Promise<{url: string, requests: object[], paths: string[], close: () => Promise<void>}>}
 */
export async function startChatApi({ trigger, finalText, plainText = 'A plain answer.' }) {
  const requests = [];
  /** Every request as `METHOD path`, in order. */
  const paths = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      paths.push(`${req.method} ${path}`);
      if (req.method === 'GET' && path === '/v1/models') {
        send(res, 200, 'application/json', JSON.stringify({ object: 'list', data: [{ id: MODEL, object: 'model' }] }));
        return;
      }
      if (req.method === 'GET' && path === '/api/tags') {
        send(res, 200, 'application/json', JSON.stringify({ models: [{ name: MODEL, model: MODEL }] }));
        return;
      }
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        send(res, 404, 'application/json', JSON.stringify({ error: { message: 'not here' } }));
        return;
      }
      let body = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // Kept as null; answered as a title request.
      }
      if (body?.tools === undefined) {
        send(res, 200, 'text/event-stream', stream({ role: 'assistant', content: 'A title' }, 'stop'));
        return;
      }
      requests.push(body);
      if (afterTool(body)) {
        send(res, 200, 'text/event-stream', stream({ role: 'assistant', content: finalText }, 'stop'));
        return;
      }
      if ((userTexts(body).at(-1) ?? '').includes(trigger)) {
        const args = JSON.stringify({ filePath: `${workingDirectory(body)}/${WRITTEN.path}`, content: WRITTEN.content });
        const call = { index: 0, id: 'call_1', type: 'function', function: { name: 'write', arguments: args } };
        send(res, 200, 'text/event-stream', stream({ role: 'assistant', tool_calls: [call] }, 'tool_calls'));
        return;
      }
      send(res, 200, 'text/event-stream', stream({ role: 'assistant', content: plainText }, 'stop'));
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
    paths,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
