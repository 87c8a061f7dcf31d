// Builds with esbuild: `bundle` (dist/extension.js and the webview scripts in dist/webview, `--production` minifies), `unit` (every src/**/*.test.ts into out/test), `contract` (out/contract).
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const [target, ...flags] = process.argv.slice(2);
const production = flags.includes('--production');

/** Every `*.test.ts` file of a folder and its subfolders (unit tests sit next to what they test). */
const tests = (dir) =>
  readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(dir, f));

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning' };

const targets = {
  bundle: () => ({
    ...common,
    entryPoints: [join(here, 'src/extension.ts')],
    outfile: join(here, 'dist/extension.js'),
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
  }),
  /** The webview scripts, for the browser: src/agents/webview/main.ts → dist/webview/agent-panel.js, src/usage/webview/main.ts → dist/webview/usage.js. */
  webview: () => ({
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
    entryPoints: [
      { in: join(here, 'src/agents/webview/main.ts'), out: 'agent-panel' },
      { in: join(here, 'src/usage/webview/main.ts'), out: 'usage' },
    ],
    outdir: join(here, 'dist/webview'),
    minify: production,
    sourcemap: production ? false : 'inline',
  }),
  unit: () => ({
    ...common,
    entryPoints: tests(join(here, 'src')),
    outdir: join(here, 'out/test'),
    outbase: join(here, 'src'),
    sourcemap: 'inline',
    // Unit tests cover pure modules only: importing vscode is a mistake, and fails the build.
    external: [],
  }),
  contract: () => ({
    ...common,
    entryPoints: tests(join(here, '../tests/contract')),
    outdir: join(here, 'out/contract'),
    sourcemap: 'inline',
    // The contract test lives outside this package but uses its node_modules (vscode-jsonrpc).
    nodePaths: [join(here, 'node_modules')],
  }),
};

if (!(target in targets)) {
  console.error(`usage: node build.mjs ${Object.keys(targets).join('|')} [--production]`);
  process.exit(2);
}
const options = targets[target]();
// A test file moved or removed must not keep running from an old build.
if (target !== 'bundle') rmSync(options.outdir, { recursive: true, force: true });
await esbuild.build(options);
// The extension loads its webviews' scripts from dist/webview.
if (target === 'bundle') await esbuild.build(targets.webview());
