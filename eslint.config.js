// Lint, and the rules of direction from ARCHITECTURE.md: a wrong import fails `npm test`.
//   renderer -> shared (and the preload API's types); never main, hub, Node or Electron
//   shared   -> nothing with I/O: no Node built-ins, no Electron, no network or storage globals
//   main services -> shared; only src/main/electron/ may import electron
//   hub -> shared, platform; never main, renderer or electron
//   platform (Node helpers both main and hub use) -> shared only
//   main's entry points may start the embedded hub (src/hub/embedded.ts), nothing else of it
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ioPackages = ['better-sqlite3', 'ws', 'imapflow', 'nodemailer', 'electron', 'electron-updater'];

const restrict = (patterns, paths = []) => ['error', { paths, patterns }];
// Built-ins by exact name: as a pattern, 'domain' would also match our own './domain' module.
const noBuiltins = (message) => nodeBuiltins.map((name) => ({ name, message }));

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict(
        [
          { group: ['**/main/**', '**/hub/**', '**/preload/**'], message: 'The renderer talks to main only through the preload API.' },
          { group: ioPackages, message: 'The renderer does no direct I/O; use the preload API.' },
        ],
        noBuiltins('The renderer runs in a sandbox: no Node built-ins.'),
      ),
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/main/**', '**/hub/**', '!./hub/**', '!../hub/**', '**/renderer/**', '**/preload/**', '**/widget/**'], message: 'src/shared depends on nothing else in src.' },
        { group: ioPackages, message: 'src/shared does no I/O.' },
      ], noBuiltins('src/shared does no I/O: no Node built-ins.')),
      'no-restricted-globals': [
        'error',
        ...['fetch', 'XMLHttpRequest', 'WebSocket', 'localStorage', 'sessionStorage', 'indexedDB', 'process', 'require'].map((name) => ({
          name,
          message: 'src/shared does no I/O; pass what you need in.',
        })),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'src/shared reads no clock: take `now` as a parameter.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'src/shared reads no clock: take `now` as a parameter.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'src/shared is deterministic: take a seeded random source.' },
      ],
    },
  },
  // main services: src/hub only through the socket (src/main/hub is the desktop's own client of it).
  // Import specifiers are matched as written, so the root and the subfolders get their own patterns.
  {
    files: ['src/main/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', 'electron-updater'], message: 'Only src/main/electron/ imports electron; services stay testable in plain Node.' },
        { group: ['**/renderer/**', '**/hub/**', '!./hub/**', '!**/shared/hub/**', '**/preload/**'], message: 'main services depend on shared and platform only.' },
      ]),
    },
  },
  {
    files: ['src/main/*/**/*.ts'],
    ignores: ['src/main/electron/**', 'src/main/hub/embeddedHub.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', 'electron-updater'], message: 'Only src/main/electron/ imports electron; services stay testable in plain Node.' },
        { group: ['**/renderer/**', '**/hub/**', '!./**', '!../hub/**', '!**/shared/hub/**', '**/preload/**'], message: 'main services depend on shared and platform only.' },
      ]),
    },
  },
  {
    // The embedded hub runs in the desktop's process: this one file may start it (src/hub/server), nothing else of the hub.
    files: ['src/main/hub/embeddedHub.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', 'electron-updater'], message: 'Only src/main/electron/ imports electron.' },
        { group: ['**/renderer/**', '**/preload/**', '**/hub/**', '!**/hub/server'], message: 'The embedded hub is started through src/hub/server only.' },
      ]),
    },
  },
  {
    files: ['src/main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/renderer/**', '**/hub/**', '!../hub/**', '!**/shared/hub/**', '**/preload/**'], message: 'The Electron shell depends on main services and shared only.' },
      ]),
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/main/**', '**/renderer/**', '**/hub/**'], message: 'The preload exposes the contract API and nothing else.' },
      ], noBuiltins('The preload is sandboxed: no Node built-ins.')),
    },
  },
  {
    files: ['src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/hub/**', 'electron', 'electron-updater'], message: 'src/platform depends on shared only.' },
      ]),
    },
  },
  {
    files: ['src/hub/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/main/**', '**/renderer/**', '**/preload/**', 'electron', 'electron-updater'], message: 'The hub depends on shared only.' },
      ]),
    },
  },
  {
    files: ['tests/e2e/**/*.ts', 'src/widget/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
);
