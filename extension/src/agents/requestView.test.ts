// Unit tests of the request cards: a Bash command as an editable box, a Write's path and content, an Edit as a diff, questions as buttons or choices, a plan as Markdown; every agent string escaped, every button labelled with its shortcut.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffLines, renderRequest, renderRequests } from './requestView';
import { QUESTION, bashRequest, notOffered, request } from './requestFixtures';

const SCRIPT = '<script>alert(1)</script>';

function assertEscaped(html: string): void {
  assert.ok(!/<script/i.test(html), html);
  assert.ok(!/<img/i.test(html), html);
}

describe('renderRequest', () => {
  it('shows a Write as its path and content, with Allow, Deny and Always allow and their shortcuts', () => {
    const html = renderRequest(request({ input: { file_path: `notes${SCRIPT}.txt`, content: `hello ${SCRIPT}` } }));
    assertEscaped(html);
    assert.match(html, /class="request request-tool"[^>]*data-run-id="run-1" data-request-id="req-1"/);
    assert.match(
      html,
      /<div class="request-path" title="notes&lt;script&gt;alert\(1\)&lt;\/script&gt;\.txt">notes&lt;script&gt;alert\(1\)&lt;\/script&gt;\.txt<\/div>/,
    );
    assert.match(html, /<pre class="request-content">hello &lt;script&gt;/);
    assert.match(html, /data-request-action="allow"[^>]*>Allow <kbd>Alt\+A<\/kbd>/);
    assert.match(html, /data-request-action="deny"[^>]*>Deny… <kbd>Alt\+D<\/kbd>/);
    assert.match(html, /data-request-action="allowAlways"[^>]*title="Alt\+W: allow Write in this workspace[^"]*">Always allow here <kbd>Alt\+W<\/kbd>/);
    // Deny's optional message, hidden until Deny is clicked.
    assert.match(html, /<div class="request-message" hidden><textarea class="request-message-text"/);
  });

  it('shows a path inside the worktree relative to it, and one outside as it is', () => {
    assert.match(
      renderRequest(request({ input: { file_path: '/w/t/src/a.ts', content: '' } }), '/w/t/'),
      /<div class="request-path" title="\/w\/t\/src\/a\.ts">src\/a\.ts<\/div>/,
    );
    assert.match(
      renderRequest(request({ input: { file_path: '/w/tx/a.ts', content: '' } }), '/w/t'),
      /<div class="request-path" title="\/w\/tx\/a\.ts">\/w\/tx\/a\.ts<\/div>/,
    );
  });

  it('shows a Bash command as code the user may edit, and names the prefix Always allow would allow', () => {
    const html = renderRequest(bashRequest(`touch x && echo "${SCRIPT}"`, 'touch', { description: 'Create x' }));
    assertEscaped(html);
    assert.match(html, /<textarea class="request-command" rows="1" aria-label="Command" spellcheck="false">touch x &amp;&amp; echo &quot;&lt;script&gt;/);
    assert.match(html, /<span class="request-description">Create x<\/span>/);
    assert.match(html, /allow Bash commands starting with “touch” in this workspace/);
  });

  it('names the rule the sidecar offers, not the first word: X=1 touch is always allowed as “touch”', () => {
    const html = renderRequest(bashRequest('X=1 touch made.txt', 'touch'));
    assert.match(html, /allow Bash commands starting with “touch” in this workspace/);
    assert.ok(!html.includes('“X=1”'), html);
  });

  it('offers no Always allow (nor Alt+W) where the sidecar does not, and says why', () => {
    const why = `“bash” runs other commands, so always allowing it would allow anything ${SCRIPT}`;
    const html = renderRequest(notOffered(why, { toolName: 'Bash', input: { command: "bash -c 'rm -rf x'" } }));
    assertEscaped(html);
    assert.ok(!html.includes('allowAlways'), html);
    assert.ok(!html.includes('Alt+W'), html);
    assert.match(html, /data-request-action="allow"[^>]*>Allow <kbd>Alt\+A<\/kbd>/);
    assert.match(
      html,
      /<div class="request-always-why">No “Always allow” here: “bash” runs other commands, so always allowing it would allow anything &lt;script&gt;/,
    );
    // A request of an older sidecar, which does not say: not offered either.
    const older = request({ toolName: 'Bash', input: { command: 'touch x' } });
    delete (older as Partial<typeof older>).alwaysAllow;
    assert.ok(!renderRequest(older).includes('allowAlways'));
  });

  it('shows an Edit as a diff of the old and new text', () => {
    const html = renderRequest(request({ toolName: 'Edit', input: { file_path: 'a.ts', old_string: 'const a = 1;\nkeep', new_string: `const a = 2;\nkeep` } }));
    assert.match(
      html,
      /<span class="diff-del">- const a = 1;<\/span>\n<span class="diff-add">\+ const a = 2;<\/span>\n<span class="diff-ctx"> {2}keep<\/span>/,
    );
  });

  it('shows another tool by its input', () => {
    const html = renderRequest(request({ toolName: 'WebFetch', input: { url: `https://example.com/${SCRIPT}` } }));
    assertEscaped(html);
    assert.match(html, /<pre class="request-input">\{\n {2}&quot;url&quot;/);
  });

  it('shows one single-choice question as buttons that answer at once, without Always allow', () => {
    const html = renderRequest(QUESTION);
    assert.match(html, /data-request-action="answer"[^>]*data-question="Which database\?" data-label="Postgres"/);
    assert.match(html, /<span class="question-header">DB<\/span> Which database\?/);
    assert.ok(!html.includes('allowAlways'));
    assert.ok(!html.includes('submitAnswers'));
    assert.match(html, /data-request-action="deny"[^>]*>Don’t answer… <kbd>Alt\+D<\/kbd>/);
  });

  it('shows several or multi-select questions as choices with Submit', () => {
    const html = renderRequest(
      request({
        kind: 'question',
        toolName: 'AskUserQuestion',
        input: {
          questions: [
            { question: 'Which?', header: '', options: [{ label: 'A', description: '' }], multiSelect: true },
            { question: `Why ${SCRIPT}?`, header: '', options: [{ label: 'B', description: '' }], multiSelect: false },
          ],
        },
      }),
    );
    assertEscaped(html);
    assert.match(html, /<fieldset class="question" data-question="Which\?" data-multi="true">/);
    assert.match(html, /<input type="checkbox" name="q-req-1-0" data-question="Which\?" value="A">/);
    assert.match(html, /<input type="radio" name="q-req-1-1"/);
    assert.match(html, /data-request-action="submitAnswers"[^>]*>Submit <kbd>Alt\+A<\/kbd>/);
  });

  it('shows a plan as Markdown with Approve and Keep planning', () => {
    const html = renderRequest(request({ kind: 'plan', toolName: 'ExitPlanMode', input: { plan: `# Plan\n\n1. **Edit** a.ts\n\n${SCRIPT}` } }));
    assertEscaped(html);
    assert.match(html, /<div class="md request-plan"><h1>Plan<\/h1>/);
    assert.match(html, /<strong>Edit<\/strong>/);
    assert.match(html, />Approve <kbd>Alt\+A<\/kbd>/);
    assert.match(html, />Keep planning… <kbd>Alt\+D<\/kbd>/);
    assert.ok(!html.includes('allowAlways'));
  });

  it('renders nothing when nothing waits', () => {
    assert.equal(renderRequests([]), '');
    assert.equal((renderRequests([request(), request({ requestId: 'req-2' })]).match(/class="request /g) ?? []).length, 2);
  });
});

describe('diffLines', () => {
  it('keeps the common start and end, and lists removed lines before added ones', () => {
    assert.deepEqual(diffLines('a\nb\nc', 'a\nB\nB2\nc'), [
      { sign: ' ', text: 'a' },
      { sign: '-', text: 'b' },
      { sign: '+', text: 'B' },
      { sign: '+', text: 'B2' },
      { sign: ' ', text: 'c' },
    ]);
    assert.deepEqual(diffLines('', 'new'), [
      { sign: '-', text: '' },
      { sign: '+', text: 'new' },
    ]);
  });
});
