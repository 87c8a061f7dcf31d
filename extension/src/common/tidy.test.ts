// Tidy checks of the extension's sources: every TypeScript/JavaScript file (extension, its webview scripts, the editor and contract tests) starts with a header comment; `grove.*` ids, isRecord and the sidecar-error decoder each exist once; no agent CLI named or switched on outside tests, and no hand-written script in media.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

// The bundled test runs from extension/out/test/common.
const repo = join(__dirname, '..', '..', '..', '..');
const SOURCE = /\.(ts|mts|js|mjs|cjs)$/;

function files(dir: string, recursive = true): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return recursive && name !== 'node_modules' ? files(path) : [];
    return SOURCE.test(name) ? [path] : [];
  });
}

const extensionSources = files(join(repo, 'extension', 'src'));
const sources = [
  ...extensionSources,
  ...files(join(repo, 'extension', 'media'), false),
  ...files(join(repo, 'tests', 'editor'), false),
  ...files(join(repo, 'tests', 'contract'), false),
];
/** The extension's own sources, without its unit tests. */
const productSources = extensionSources.filter((f) => !/(\.test|Fixtures)\.ts$/.test(f));
const rel = (f: string) => relative(repo, f);

describe('tidy', () => {
  it('finds the sources', () => {
    assert.ok(productSources.length > 30 && sources.length > productSources.length + 20, `${sources.length} files`);
  });

  it('starts every source file with a header comment saying what it is for', () => {
    const missing = sources.filter((f) => {
      const text = readFileSync(f, 'utf8').replace(/^#!.*\n/, '');
      const first = /^\/\/ *(\S.*)$/m.exec(text.split('\n')[0] ?? '')?.[1] ?? /^\/\*+\s*([\s\S]*?)\*\//.exec(text)?.[1];
      return first === undefined || first.trim().length < 20;
    });
    assert.deepEqual(missing.map(rel), [], 'these files start without a header comment');
  });

  it('writes `grove.*` ids only in common/commands.ts (other files refer to its tables)', () => {
    const table = join('common', 'commands.ts');
    const found: string[] = [];
    for (const f of productSources) {
      if (f.endsWith(table)) continue;
      const text = readFileSync(f, 'utf8');
      // A quoted `grove.` id (comments may name them in backquotes); 'grove.svg' is the icon's file name.
      for (const m of text.matchAll(/(['"])grove\.(?!svg\1)[A-Za-z]/g)) found.push(`${rel(f)}: ${text.slice(m.index, m.index + 40).split('\n')[0]}`);
    }
    assert.deepEqual(found, []);
  });

  it('has one isRecord and one decoder of sidecar errors', () => {
    const where = (re: RegExp) => productSources.filter((f) => re.test(readFileSync(f, 'utf8'))).map(rel);
    assert.deepEqual(where(/function isRecord\b/), [join('extension', 'src', 'common', 'json.ts')]);
    assert.deepEqual(where(/\bResponseError\b/), [join('extension', 'src', 'common', 'errors.ts')]);
    // Reading `.code` off an error by hand is the decoder's job.
    const decoder = join('extension', 'src', 'common', 'errors.ts');
    assert.deepEqual(
      where(/as \{ code\??:|\(error as|typeof e\.code|error\.code ===/).filter((f) => f !== decoder),
      [],
    );
  });

  it('names no agent CLI outside tests (the sidecar lists them: `grove/agents/list`), and switches on no agent id', () => {
    // Offenders, one per line: `file:line: text`, so that what is left is plain to see.
    const offenders: string[] = [];
    for (const f of productSources) {
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/codex|gemini|opencode/i.test(line) || /(?:===|!==|case)\s*['"`](?:claude|codex|gemini|opencode)['"`]/i.test(line)) {
            offenders.push(`${rel(f)}:${i + 1}: ${line.trim().slice(0, 100)}`);
          }
        });
    }
    assert.deepEqual(offenders, [], `these lines name an agent CLI:\n${offenders.join('\n')}`);
  });

  it('holds no hand-written script in media (the webview scripts are compiled from src into dist/webview)', () => {
    const scripts = readdirSync(join(repo, 'extension', 'media')).filter((name) => SOURCE.test(name));
    assert.deepEqual(scripts, []);
  });
});
