import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Where code runs is visible in its path and enforced here (as Signal Desktop does with file suffixes):
//   server/src/shared      used by both servers and the screens; imports neither branch/ nor central/
//   server/src/shared/domain  pure rules: no I/O, no database, no network
//   server/src/branch      the branch server; never imports central/
//   server/src/central     the central API; never imports branch/
//   server/src/simulators  stand-ins for Mobile Money and SMS providers (tests, demo mode): not product code
//   screens (kiosk-ui, agent-ui, display-ui, office-ui, ui-shared) import only server/src/shared
// Import paths are relative, so a rule matches the folder names they go through.
const segment = (name) => `(^|/)${name}(/|$)`;
const rule = (regex, message) => ({ regex, message });
const NO_ELECTRON = { name: 'electron', message: 'server/ must not import electron: the server is a plain Node library.' };
const NOT_CENTRAL = rule(segment('central'), 'branch code never imports central code (server/src/central): share it through server/src/shared.');
const NOT_BRANCH = rule(segment('branch'), 'central code never imports branch code (server/src/branch): share it through server/src/shared.');
const SIMULATORS_NOT_BRANCH = rule(segment('branch'), 'the simulators stand in for the outside world: they never import branch code.');
const NOT_SIMULATORS = rule(segment('simulators'), 'product code never imports the simulators (test and demo stand-ins); only CLI wiring (central/main.ts, *-env.ts) and tests may.');
const NOT_SERVERS = rule(`${segment('branch')}|${segment('central')}|${segment('simulators')}`, 'server/src/shared is used by both servers: it imports neither branch/, central/ nor simulators/.');
const PURE = [
  rule('^(node:.*|fs|http|https|net|crypto|better-sqlite3|kysely|express|socket\\.io|pg|electron)$', 'server/src/shared/domain is pure: no I/O imports.'),
  rule('^(\\.\\./)+(db|http|auth)/', 'server/src/shared/domain is pure: it imports only rules and contracts.'),
];
const SCREENS_ONLY_SHARED = rule('server/src/(?!shared/)', 'screens import only server/src/shared (contracts and pure rules).');
const restrict = (...patterns) => ({
  'no-restricted-imports': ['error', { paths: [NO_ELECTRON], patterns: patterns.map(({ regex, message }) => ({ regex, message })) }],
});
const TESTS = ['server/src/**/*.test.ts'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'release/**',
      'data/**',
      'test-artifacts/**',
      'bench-results/**',
      'display-ui/public/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  { files: ['server/**/*.ts'], rules: restrict() },
  { files: ['server/src/shared/**/*.ts'], rules: restrict(NOT_SERVERS) },
  { files: ['server/src/shared/domain/**/*.ts'], rules: restrict(NOT_SERVERS, ...PURE) },
  { files: ['server/src/branch/**/*.ts'], ignores: TESTS, rules: restrict(NOT_CENTRAL, NOT_SIMULATORS) },
  { files: ['server/src/branch/**/*.test.ts'], rules: restrict(NOT_CENTRAL) },
  { files: ['server/src/central/**/*.ts'], ignores: [...TESTS, 'server/src/central/main.ts', 'server/src/central/**/*-env.ts'], rules: restrict(NOT_BRANCH, NOT_SIMULATORS) },
  { files: ['server/src/central/**/*.test.ts', 'server/src/central/main.ts', 'server/src/central/**/*-env.ts'], rules: restrict(NOT_BRANCH) },
  { files: ['server/src/simulators/**/*.ts'], rules: restrict(SIMULATORS_NOT_BRANCH) },
  {
    files: ['kiosk-ui/**/*.{ts,tsx}', 'agent-ui/**/*.{ts,tsx}', 'display-ui/**/*.{ts,tsx}', 'office-ui/**/*.{ts,tsx}', 'ui-shared/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': ['error', { patterns: [SCREENS_ONLY_SHARED] }],
    },
  },
);
