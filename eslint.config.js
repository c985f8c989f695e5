import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

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
  {
    // Nothing under server/ may depend on Electron: the server is a plain Node library.
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'server/ must not import electron.' }] }],
    },
  },
  {
    // The pure domain core may not do I/O: no Node built-ins, no database, no network.
    files: ['server/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'http', 'net', 'better-sqlite3', 'kysely', 'express', 'socket.io', 'electron'], message: 'server/src/domain is pure: no I/O imports.' },
          ],
        },
      ],
    },
  },
  {
    files: ['kiosk-ui/**/*.{ts,tsx}', 'agent-ui/**/*.{ts,tsx}', 'display-ui/**/*.{ts,tsx}', 'ui-shared/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
);
