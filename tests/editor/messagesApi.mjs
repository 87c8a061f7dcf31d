// A loopback stand-in for Anthropic's Messages API, for the real claude CLI in editor tests: a Write tool call (or another tool, when set), then a final text (at once for a request that offers no tools), as server-sent events; a slowly streamed answer for prompts that ask for one; or 401 for every request. With `tags`, it also answers Ollama's `GET /api/tags` (an Ollama stand-in).
import { createServer } from 'node:http';

/** The Write call the agent makes in its first step. */
export const WRITE_INPUT = { file_path: 'notes.txt', content: 'written by the agent\n' };

/** Whether the request's last message carries a tool result (the model's step after a tool). */
function afterToolResult(body) {
  const last = Array.isArray(body?.messages) ? body.messages[body.messages.length - 1] : undefined;
  return Array.isArray(last?.content) && last.content.some((b) => b?.type === 'tool_result');
}

/** `n` numbers the answers: message and tool-use ids must differ across a session, or a resumed one mixes them up. */
function blocksFor(body, finalText, n, tool = { name: 'Write', input: WRITE_INPUT }) {
  // A request that offers no tools (a credential check, a title) gets plain text: a tool call would loop.
  const offersTools = Array.isArray(body?.tools) && body.tools.length > 0;
  if (afterToolResult(body) || !offersTools) return [{ type: 'text', text: finalText }];
  return [{ type: 'tool_use', id: `toolu_${String(n).padStart(2, '0')}`, name: tool.name, input: tool.input }];
}

/** Whether the request's last message is a prompt containing `trigger`. */
function asksFor(body, trigger) {
  const last = Array.isArray(body?.messages) ? body.messages[body.messages.length - 1] : undefined;
  return trigger !== undefined && last?.role === 'user' && JSON.stringify(last.content ?? '').includes(trigger);
}

/** The server-sent events of one assistant message made of `blocks`, as [name, data] pairs. */
function sseEvents(blocks, n, textChunks) {
  const stop = blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  /** @type {[string, object][]} */
  const events = [
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          id: `msg_${n}`,
          type: 'message',
          role: 'assistant',
          model: 'claude-loopback',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 10, output_tokens: 1 },
        },
      },
    ],
  ];
  blocks.forEach((block, index) => {
    const start = block.type === 'text' ? { type: 'text', text: '' } : { type: 'tool_use', id: block.id, name: block.name, input: {} };
    events.push(['content_block_start', { type: 'content_block_start', index, content_block: start }]);
    if (block.type === 'text') {
      for (const text of textChunks ?? [block.text]) {
        events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } }]);
      }
    } else {
      events.push([
        'content_block_delta',
        { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } },
      ]);
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
  });
  events.push(['message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 5 } }]);
  events.push(['message_stop', { type: 'message_stop' }]);
  return events;
}

const frame = ([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

/** The server-sent events of one assistant message made of `blocks`, as one body. */
function sse(blocks, n) {
  return sseEvents(blocks, n).map(frame).join('');
}

function send(res, status, contentType, body) {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'request-id': 'req_loopback' });
  res.end(body);
}

/**
 * Starts on a free loopback port.
 * @param {{finalText?: string, slow?: {trigger: string, chunks: string[], intervalMs: number}, tags?: string[]}} [options]
 *   `finalText`: the text of the agent's last step (default "Done."); `slow`: a request
 *   whose latest prompt contains `trigger` is answered with text only, streamed as `chunks` `intervalMs` apart;
 *   `tags`: the model names `GET /api/tags` lists, as Ollama does (without it, that path is 404).
 * @returns {Promise<{url: string, requests: object[], headers: import('node:http').IncomingHttpHeaders[],
 *   tagRequests: () => number, setUnauthorized: (on: boolean) => void, setTool: (tool: {name: string, input: object} | undefined) => void,
 *   setDelay: (ms: number) => void, close: () => Promise<void>}>}
 */
export async function startMessagesApi({ finalText = 'Done.', slow, tags } = {}) {
  const requests = [];
  /** The headers of each request in `requests`, in the same order. */
  const headers = [];
  let tagRequests = 0;
  let unauthorized = false;
  let delayMs = 0;
  /** The tool of the first step (a Write unless set). */
  let tool;
  const timers = new Set();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (delayMs <= 0) {
        answer();
        return;
      }
      // A slow model: the run stays "running" meanwhile.
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) answer();
      }, delayMs);
      timers.add(timer);
    });
    const answer = () => {
      const path = req.url ?? '';
      if (tags && req.method === 'GET' && path.split('?')[0] === '/api/tags') {
        tagRequests++;
        send(res, 200, 'application/json', JSON.stringify({ models: tags.map((name) => ({ name, model: name })) }));
        return;
      }
      if (req.method !== 'POST' || !path.startsWith('/v1/messages')) {
        send(res, 404, 'application/json', JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'not here' } }));
        return;
      }
      if (path.includes('count_tokens')) {
        send(res, 200, 'application/json', JSON.stringify({ input_tokens: 10 }));
        return;
      }
      let body = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // Kept as null; answered like any other request.
      }
      requests.push(body);
      headers.push(req.headers);
      if (unauthorized) {
        send(res, 401, 'application/json', JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }));
        return;
      }
      const n = requests.length;
      if (slow && body?.stream === true && asksFor(body, slow.trigger)) {
        streamSlowly(res, n);
        return;
      }
      const blocks = blocksFor(body, finalText, n, tool);
      if (body?.stream === true) {
        send(res, 200, 'text/event-stream', sse(blocks, n));
        return;
      }
      const stop = blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
      const message = {
        id: `msg_${n}`,
        type: 'message',
        role: 'assistant',
        model: 'claude-loopback',
        content: blocks,
        stop_reason: stop,
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 5 },
      };
      send(res, 200, 'application/json', JSON.stringify(message));
    };
  });
  /** One text answer, its chunks `slow.intervalMs` apart, as a model writes. */
  function streamSlowly(res, n) {
    const text = slow.chunks.join('');
    const events = sseEvents([{ type: 'text', text }], n, slow.chunks);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': 'req_loopback' });
    let i = 0;
    const next = () => {
      if (res.destroyed) return;
      // Everything up to and including the next text delta at once; then a pause.
      while (i < events.length) {
        const event = events[i++];
        res.write(frame(event));
        if (event[0] === 'content_block_delta') break;
      }
      if (i >= events.length) {
        res.end();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        next();
      }, slow.intervalMs);
      timers.add(timer);
    };
    next();
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    headers,
    /** How often `GET /api/tags` was asked. */
    tagRequests: () => tagRequests,
    /** From now on, every request is answered 401 (or, with false, normally again). */
    setUnauthorized: (on) => {
      unauthorized = on;
    },
    /** From now on, the first step calls this tool with this input (undefined: the Write of WRITE_INPUT). */
    setTool: (next) => {
      tool = next;
    },
    /** From now on, every answer waits this long first (0: none). */
    setDelay: (ms) => {
      delayMs = ms;
    },
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
