// A loopback HTTPS stand-in for a GitHub Enterprise host, for the pinned GitHub CLI (gh) in editor tests (as tests/src/github_api.rs): the GraphQL operations `gh pr create` and `gh pr view` ask (RepositoryInfo, the Issue introspection, PullRequestForBranch, PullRequestCreate, UserCurrent) answered with exactly the fields each query selects, `/api/v3/` with its scopes; a self-signed certificate (openssl, else made with node's crypto) for SSL_CERT_FILE.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository the stand-in hosts: `-R <host>/owner/repo`. */
export const OWNER = 'owner';
export const REPO = 'repo';
/** The login gh sees. */
export const VIEWER = 'grove-tester';

// ---------------------------------------------------------------------------------------------
// The certificate

/**
 * A self-signed certificate for 127.0.0.1 and localhost in `dir`: `{cert, key, certPath}` (PEM). Made by the
 * openssl CLI when there is one (and `openssl` is not false), else by hand with node's crypto (EC P-256, ECDSA
 * with SHA-256).
 */
export function selfSignedCertificate(dir, { openssl = true } = {}) {
  const certPath = join(dir, 'stand-in.pem');
  const keyPath = join(dir, 'stand-in.key');
  try {
    if (!openssl) throw new Error('without openssl');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'pipe' },
    );
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath };
  } catch {
    const made = certificateByHand();
    writeFileSync(certPath, made.cert);
    return { ...made, certPath };
  }
}

/** DER: a tag, its length, its content. */
function der(tag, ...parts) {
  const content = Buffer.concat(parts);
  const n = content.length;
  let length;
  if (n < 0x80) length = Buffer.from([n]);
  else {
    const bytes = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    length = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

const seq = (...parts) => der(0x30, ...parts);

function oid(text) {
  const [a, b, ...rest] = text.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const n of rest) {
    const group = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) group.unshift(0x80 | (v & 0x7f));
    bytes.push(...group);
  }
  return der(0x06, Buffer.from(bytes));
}

/** UTCTime, YYMMDDHHMMSSZ. */
function utcTime(date) {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return der(0x17, Buffer.from(text, 'ascii'));
}

function certificateByHand() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(der(0x31, seq(oid('2.5.4.3'), der(0x0c, Buffer.from('127.0.0.1')))));
  const now = Date.now();
  // Subject alternative names: IP 127.0.0.1 ([7]) and DNS localhost ([2]); Go checks these, never the CN.
  const san = seq(der(0x87, Buffer.from([127, 0, 0, 1])), der(0x82, Buffer.from('localhost')));
  const extensions = der(0xa3, seq(seq(oid('2.5.29.17'), der(0x04, san))));
  const serial = randomBytes(8);
  serial[0] &= 0x7f;
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, serial),
    ecdsaSha256,
    name,
    seq(utcTime(new Date(now - 60_000)), utcTime(new Date(now + 2 * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, ecdsaSha256, der(0x03, Buffer.from([0]), signature));
  const lines = cert.toString('base64').match(/.{1,64}/g) ?? [];
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
    key: /** @type {string} */ (privateKey.export({ type: 'pkcs8', format: 'pem' })),
  };
}

// ---------------------------------------------------------------------------------------------
// GraphQL: the selection set of a query, and a data tree cut down to it

/** Tokens of a GraphQL document: names, punctuation, `...`, and strings (as 'other'). */
function tokens(text) {
  const out = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s|,/.test(c)) i++;
    else if (c === '#') while (i < text.length && text[i] !== '\n') i++;
    else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      out.push({ other: true });
    } else if (c === '.') {
      i += 3;
      out.push({ spread: true });
    } else if (/[A-Za-z0-9_$-]/.test(c)) {
      let name = '';
      while (i < text.length && /[A-Za-z0-9_$]/.test(text[i])) name += text[i++];
      if (name === '') name = text[i++];
      out.push({ name });
    } else {
      out.push({ punct: c });
      i++;
    }
  }
  return out;
}

/**
 * Parses a GraphQL document into `{selection, fragments}`: fields (`{field: {alias, name, selection}}`), inline
 * fragments (`{inline: {on, selection}}`) and spreads (`{spread: name}`); arguments and directives skipped.
 */
function parseDocument(text) {
  const toks = tokens(text);
  let at = 0;
  const peek = () => toks[at];
  const next = () => toks[at++];
  const isPunct = (t, c) => t !== undefined && t.punct === c;
  const skipGroup = (open, close) => {
    for (let depth = 1; depth > 0;) {
      const t = next();
      if (t === undefined) throw new Error('unbalanced');
      if (isPunct(t, open)) depth++;
      else if (isPunct(t, close)) depth--;
    }
  };
  const skipArguments = () => {
    for (;;) {
      if (isPunct(peek(), '(')) {
        at++;
        skipGroup('(', ')');
      } else if (isPunct(peek(), '@')) at += 2;
      else return;
    }
  };
  const selectionSet = () => {
    if (!isPunct(next(), '{')) throw new Error('expected {');
    const out = [];
    for (;;) {
      const t = next();
      if (t === undefined) throw new Error('unexpected end');
      if (isPunct(t, '}')) return out;
      if (t.spread) {
        const n = peek();
        if (n?.name === 'on') {
          at++;
          const on = next().name;
          skipArguments();
          out.push({ inline: { on, selection: selectionSet() } });
        } else if (n?.name !== undefined) {
          at++;
          skipArguments();
          out.push({ spread: n.name });
        } else {
          skipArguments();
          out.push({ inline: { on: undefined, selection: selectionSet() } });
        }
      } else if (t.name !== undefined) {
        let alias;
        let name = t.name;
        if (isPunct(peek(), ':')) {
          at++;
          alias = name;
          name = next().name;
        }
        skipArguments();
        out.push({ field: { alias, name, selection: isPunct(peek(), '{') ? selectionSet() : [] } });
      } else throw new Error('unexpected token');
    }
  };
  const doc = { selection: [], fragments: new Map() };
  while (at < toks.length) {
    const t = next();
    if (t.name === 'fragment') {
      const name = next().name;
      next(); // on
      const on = next().name;
      doc.fragments.set(name, { on, selection: selectionSet() });
    } else if (isPunct(t, '{')) {
      at--;
      doc.selection = selectionSet();
    } else if (isPunct(t, '(')) skipGroup('(', ')');
  }
  return doc;
}

/** `full` cut down to `selection`; fields `full` lacks are answered null and their paths put in `unknown`. */
function project(doc, full, selection, path, unknown) {
  if (Array.isArray(full)) return full.map((item) => project(doc, item, selection, path, unknown));
  if (full === null || typeof full !== 'object') return full;
  const out = {};
  projectInto(doc, full, selection, path, unknown, out);
  return out;
}

function projectInto(doc, obj, selection, path, unknown, out) {
  const typeMatches = (on) => on === undefined || obj.__typename === undefined || obj.__typename === on;
  for (const sel of selection) {
    if (sel.field) {
      const { alias, name, selection: sub } = sel.field;
      const key = alias ?? name;
      const value = obj[key] ?? obj[name];
      if (value === undefined) {
        unknown.push(`${path}.${key}`);
        out[key] = null;
      } else out[key] = sub.length === 0 ? value : project(doc, value, sub, `${path}.${key}`, unknown);
    } else if (sel.inline) {
      if (typeMatches(sel.inline.on)) projectInto(doc, obj, sel.inline.selection, path, unknown, out);
    } else {
      const fragment = doc.fragments.get(sel.spread);
      if (fragment && typeMatches(fragment.on)) projectInto(doc, obj, fragment.selection, path, unknown, out);
    }
  }
}

/** `query Name(…)` / `mutation Name` → Name (or the body's operationName). */
export function operationName(body) {
  if (typeof body?.operationName === 'string') return body.operationName;
  const match = /^\s*(?:query|mutation)\s+([A-Za-z0-9_]+)/.exec(String(body?.query ?? '').replace(/^\s*fragment[\s\S]*?(?=\b(?:query|mutation)\b)/, ''));
  return match?.[1];
}

// ---------------------------------------------------------------------------------------------
// The data the operations select from

function pullJson(p, host) {
  return {
    __typename: 'PullRequest',
    id: `PR_${p.number}`,
    number: p.number,
    title: p.title,
    body: p.body,
    url: p.url,
    state: p.state,
    isDraft: p.draft,
    closed: p.state !== 'OPEN',
    merged: p.state === 'MERGED',
    headRefName: p.head,
    baseRefName: p.base,
    isCrossRepository: false,
    headRepositoryOwner: { id: 'U_owner', login: OWNER, name: 'Owner' },
    headRepository: { name: REPO },
    author: { login: VIEWER },
    maintainerCanModify: true,
    repository: { url: `https://${host}/${OWNER}/${REPO}` },
  };
}

function repository(vars, pulls, host) {
  const head = vars.headRefName ?? vars.head;
  const states = Array.isArray(vars.states) ? vars.states : [];
  const nodes = [...pulls]
    .reverse()
    .filter((p) => head === undefined || p.head === head)
    .filter((p) => states.length === 0 || states.includes(p.state))
    .map((p) => pullJson(p, host));
  const number = vars.number ?? vars.pr_number;
  const byNumber = pulls.find((p) => p.number === number);
  return {
    id: 'R_kgDOGrove',
    databaseId: 1,
    name: REPO,
    owner: { login: OWNER },
    nameWithOwner: `${OWNER}/${REPO}`,
    url: `https://${host}/${OWNER}/${REPO}`,
    sshUrl: `git@${host}:${OWNER}/${REPO}.git`,
    hasIssuesEnabled: true,
    description: '',
    hasWikiEnabled: false,
    viewerPermission: 'ADMIN',
    defaultBranchRef: { name: 'main' },
    parent: null,
    isPrivate: false,
    mergeCommitAllowed: true,
    rebaseMergeAllowed: true,
    squashMergeAllowed: true,
    pullRequests: { totalCount: nodes.length, nodes, pageInfo: { hasNextPage: false, endCursor: null } },
    pullRequest: byNumber ? pullJson(byNumber, host) : null,
  };
}

/** The field names a modern GitHub has, so that gh picks its newest queries. */
function introspection() {
  const fields = (names) => {
    const list = names.map((name) => ({ name }));
    return { fields: list, inputFields: list };
  };
  return {
    Issue: fields(['id', 'number', 'title', 'stateReason', 'closedByPullRequestsReferences']),
    PullRequest: fields(['id', 'number', 'title', 'isInMergeQueue', 'isMergeQueueEnabled']),
    PullRequestReviewDecision: { enumValues: [] },
    StatusCheckRollupContextConnection: fields(['checkRunCount']),
  };
}

// ---------------------------------------------------------------------------------------------
// The server

function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * Starts the stand-in on a free loopback port (`openssl: false` makes its certificate with node's crypto).
 * @returns {Promise<{host: string, certPath: string, requests: {method: string, path: string, authorization: string | undefined, body: any}[],
 *   pulls: {number: number, title: string, body: string, base: string, head: string, draft: boolean, state: string, url: string}[],
 *   unknownFields: string[], graphql: (name: string) => any[], close: () => Promise<void>}>}
 */
export async function startGithubApi({ openssl = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'grove-github-'));
  const { cert, key, certPath } = selfSignedCertificate(dir, { openssl });
  const requests = [];
  const pulls = [];
  const unknownFields = [];
  let host = '';

  const data = (name, vars) => {
    const owner = vars.owner ?? OWNER;
    const repo = vars.name ?? vars.repo ?? REPO;
    if (owner !== OWNER || repo !== REPO) throw new Error(`Could not resolve to a Repository with the name '${owner}/${repo}'.`);
    if (name === 'PullRequestCreate') {
      const input = vars.input ?? {};
      const number = pulls.length + 1;
      const pr = {
        number,
        title: String(input.title ?? ''),
        body: String(input.body ?? ''),
        base: String(input.baseRefName ?? ''),
        head: String(input.headRefName ?? ''),
        draft: input.draft === true,
        state: 'OPEN',
        url: `https://${host}/${OWNER}/${REPO}/pull/${number}`,
      };
      pulls.push(pr);
      return { createPullRequest: { pullRequest: pullJson(pr, host) } };
    }
    if (name === 'UserCurrent') return { viewer: { login: VIEWER } };
    if (name.startsWith('Issue') || name.endsWith('_fields')) return introspection();
    return { repository: repository(vars, pulls, host), viewer: { login: VIEWER } };
  };

  const graphql = (body) => {
    const name = operationName(body) ?? '';
    let doc;
    try {
      doc = parseDocument(String(body?.query ?? ''));
    } catch {
      return { errors: [{ message: 'the stand-in could not parse the query' }] };
    }
    let full;
    try {
      full = data(name, body?.variables ?? {});
    } catch (error) {
      return { data: null, errors: [{ type: 'NOT_FOUND', message: error.message }] };
    }
    return { data: project(doc, full, doc.selection, name, unknownFields) };
  };

  const server = createServer({ cert, key }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      const text = Buffer.concat(chunks).toString('utf8');
      let body = null;
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        // Kept as null.
      }
      requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
      if (req.headers.authorization === undefined) {
        send(res, 401, { message: 'Requires authentication' });
      } else if (req.method === 'POST' && path === '/api/graphql') {
        send(res, 200, graphql(body));
      } else if (req.method === 'GET' && (path === '/api/v3' || path === '/api/v3/')) {
        send(res, 200, {}, { 'x-oauth-scopes': 'repo, read:org, gist' });
      } else {
        send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com' });
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  host = `127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
  return {
    /** `127.0.0.1:PORT`: gh's host (GH_HOST) and the remote's. */
    host,
    /** The certificate (PEM), for SSL_CERT_FILE. */
    certPath,
    requests,
    pulls,
    /** Fields a query selected that the stand-in does not know (each answered null): empty when gh got what it asked. */
    unknownFields,
    /** The GraphQL bodies of the operation `name`. */
    graphql: (name) => requests.filter((r) => r.path === '/api/graphql' && operationName(r.body) === name).map((r) => r.body),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
