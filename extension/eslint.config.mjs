// ESLint flat config: typescript-eslint's strict, type-checked rules for the extension's sources; the webview scripts typed with the DOM (tsconfig.webview.json); the recommended rules for its build script and for the editor tests (tests/editor, linted from the repository root by `npm run lint`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const readonly = (names) => Object.fromEntries(names.map((name) => [name, 'readonly']));
/** Node's globals that the scripts and the editor tests use. */
const nodeGlobals = readonly(['console', 'process', 'Buffer', 'URL', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'fetch']);
/** What code run in the page by Playwright (`page.evaluate`) and the webview scripts see. */
const browserGlobals = readonly(['window', 'document', 'Element', 'HTMLElement', 'CSS', 'getComputedStyle', 'acquireVsCodeApi']);

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'server/', 'node_modules/', '**/*.generated.ts', 'extension/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Tests use describe/it from node:test, which return promises the runner awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it'] }] }],
    },
  },
  {
    // The webview scripts run in the page: tsconfig.webview.json types them with the DOM.
    files: ['src/**/webview/main.ts'],
    languageOptions: {
      parserOptions: { projectService: false, project: './tsconfig.webview.json', tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['*.mjs'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    // tests/editor, when linted from the repository root (`npm run lint`).
    files: ['tests/editor/*.mjs'],
    languageOptions: { globals: { ...nodeGlobals, ...browserGlobals } },
  },
);
