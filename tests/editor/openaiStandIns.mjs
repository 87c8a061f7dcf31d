// Loopback stand-ins of OpenAI for the real codex CLI in editor tests (as tests/src/responses_api.rs): the Responses API (a WebSocket attempt refused with 426, `GET /v1/models`, `POST /v1/responses` as server-sent events: an `exec_command` function call for a shell command, then after its output a final text, with usage) and the OAuth token endpoint (`POST /oauth/token`) that answers an authorization_code grant with fake tokens.
import { createServer } from 'node:http';
import { URLSearchParams } from 'node:url';

/** The model name the stand-in lists. */
export const MODEL = 'stub-model';
/** The ChatGPT account id in the fake access token. */
export const ACCOUNT_ID = 'acct_test';
/** The usage every streamed response reports: input, cached input, output tokens. */
export const USAGE = { input: 10, cached: 2, output: 5 };

const base64url = (text) => Buffer.from(text).toString('base64url');

/** A fake JWT (`alg: none`, a fake signature): the CLI and the sidecar read its claims and never check it. */
export function fakeJwt(payload) {
  return `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}.sig`;
}

/** Listens on a free loopback port; resolves with the server and its `http://127.0.0.1:PORT`. */
function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

/** The whole body of a request (GROVE_OPENAI_API_URL turns the CLI's request compression off). */
function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** A body as JSON; null when it is not. */
function parseJson(text) {
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

function send(res, status, contentType, body) {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The outputs of the tool calls in a request's input (the CLI sends them after running a call). */
export function toolOutputs(body) {
  const input = Array.isArray(body?.input) ? body.input : [];
  return input.filter((i) => i?.type === 'function_call_output' || i?.type === 'custom_tool_call_output').map((i) => String(i.output ?? ''));
}

/** The texts of a request's user messages. */
export function userTexts(body) {
  const input = Array.isArray(body?.input) ? body.input : [];
  return input
    .filter((i) => i?.type === 'message' && i.role === 'user')
    .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
    .map((c) => c?.text)
    .filter((t) => typeof t === 'string');
}

let nextId = 1;

/** One streamed response with `items` (`{text}` or `{call: {name, arguments}}`), then `response.completed` with usage. */
function render(items) {
  const responseId = `resp_loopback_${nextId++}`;
  /** @type {object[]} */
  const events = [{ type: 'response.created', response: { id: responseId } }];
  items.forEach((item, index) => {
    const n = nextId++;
    let done;
    if ('text' in item) {
      const id = `msg_loopback_${n}`;
      events.push({ type: 'response.output_item.added', output_index: index, item: { type: 'message', role: 'assistant', id, content: [] } });
      events.push({ type: 'response.output_text.delta', output_index: index, content_index: 0, item_id: id, delta: item.text });
      done = { type: 'message', role: 'assistant', id, content: [{ type: 'output_text', text: item.text }] };
    } else {
      done = {
        type: 'function_call',
        id: `fc_loopback_${n}`,
        call_id: `call_loopback_${n}`,
        name: item.call.name,
        arguments: JSON.stringify(item.call.arguments),
      };
      events.push({ type: 'response.output_item.added', output_index: index, item: done });
    }
    events.push({ type: 'response.output_item.done', output_index: index, item: done });
  });
  events.push({
    type: 'response.completed',
    response: {
      id: responseId,
      usage: {
        input_tokens: USAGE.input,
        input_tokens_details: { cached_tokens: USAGE.cached },
        output_tokens: USAGE.output,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: USAGE.input + USAGE.output,
      },
    },
  });
  return events.map((e) => `event: ${/** @type {{ type: string }} */ (e).type}\ndata: ${JSON.stringify(e)}\n\n`).join('');
}

/**
 * Starts the Responses API stand-in. Each `POST /v1/responses` is answered by running `command` as a
 * shell command (`exec_command`) until a tool's output comes back, then with `finalText`. Every
 * request is kept (`requests`: method, path, headers, parsed body).
 * @param {{ command: string, finalText: string }} script
 */
export async function startResponsesApi({ command, finalText }) {
  /** @type {{ method: string, path: string, headers: import('node:http').IncomingHttpHeaders, body: any }[]} */
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const body = parseJson(await readBody(req));
    requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    if (req.headers.upgrade?.toLowerCase() === 'websocket') {
      send(res, 426, 'text/plain', 'Upgrade Required');
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      send(res, 200, 'application/json', JSON.stringify({ object: 'list', data: [{ id: MODEL, object: 'model' }], models: [] }));
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/responses') {
      send(
        res,
        404,
        'application/json',
        JSON.stringify({ error: { message: `not here: ${path}`, type: 'invalid_request_error', param: null, code: 'not_found' } }),
      );
      return;
    }
    const items = toolOutputs(body).length === 0 ? [{ call: { name: 'exec_command', arguments: { cmd: command } } }] : [{ text: finalText }];
    send(res, 200, 'text/event-stream', render(items));
  });
  // The CLI tries a WebSocket first: 426 makes it fall back to HTTP at once.
  server.on('upgrade', (req, socket) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: null });
    socket.end('HTTP/1.1 426 Upgrade Required\r\ncontent-type: text/plain\r\ncontent-length: 16\r\nconnection: close\r\n\r\nUpgrade Required');
  });
  const url = await listen(server);
  return {
    /** `http://127.0.0.1:PORT`, without `/v1` (GROVE_OPENAI_API_URL). */
    url,
    requests,
    /** The `POST /v1/responses` requests so far. */
    responseRequests: () => requests.filter((r) => r.method === 'POST' && r.path === '/v1/responses'),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Starts the OAuth token endpoint stand-in: `POST /oauth/token` answers an authorization_code grant
 * whose code starts with `goodPrefix` (and a refresh_token grant) with a fake access token (expiring
 * in an hour, account `ACCOUNT_ID`), a refresh token and an id token; other codes get 400
 * `invalid_grant`. Every request's form is kept (`requests`).
 */
export async function startTokenEndpoint({ goodPrefix = 'good' } = {}) {
  /** @type {{ path: string, form: Record<string, string> }[]} */
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const text = await readBody(req);
    const form = req.headers['content-type']?.includes('application/json')
      ? Object.fromEntries(Object.entries(JSON.parse(text || '{}')).map(([k, v]) => [k, String(v)]))
      : Object.fromEntries(new URLSearchParams(text));
    requests.push({ path, form });
    if (req.method !== 'POST' || path !== '/oauth/token') {
      send(res, 404, 'application/json', JSON.stringify({ error: 'not_found' }));
      return;
    }
    const granted =
      (form.grant_type === 'authorization_code' && (form.code ?? '').startsWith(goodPrefix) && (form.code_verifier ?? '') !== '') ||
      form.grant_type === 'refresh_token';
    if (!granted) {
      send(res, 400, 'application/json', JSON.stringify({ error: 'invalid_grant', error_description: 'The code is not valid.' }));
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const auth = { chatgpt_account_id: ACCOUNT_ID, chatgpt_plan_type: 'plus', chatgpt_user_id: 'user_test' };
    const tokens = {
      access_token: fakeJwt({ iss: 'https://auth.openai.com', sub: 'user_test', iat: now, exp: now + 3600, 'https://api.openai.com/auth': auth }),
      refresh_token: 'rt_FAKE_editor_refresh',
      id_token: fakeJwt({
        iss: 'https://auth.openai.com',
        sub: 'user_test',
        email: 'dev@example.com',
        iat: now,
        exp: now + 3600,
        'https://api.openai.com/auth': auth,
      }),
      expires_in: 3600,
      token_type: 'Bearer',
    };
    send(res, 200, 'application/json', JSON.stringify(tokens));
  });
  const url = await listen(server);
  return {
    /** `http://127.0.0.1:PORT` (GROVE_OPENAI_AUTH_URL). */
    url,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
