import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import mocha from 'eslint-plugin-mocha';

// Layering (README "Architecture"): dependencies point inward, SDKs stay at the edge. One rule object per folder
// because a later flat-config entry replaces an earlier entry's options for the same rule instead of merging them.
const BOTBUILDER = { regex: '^(botbuilder|botframework-)', message: 'Only src/bot/ and src/server/ import botbuilder (the SDK stays at the edge).' };
const EMULATORS = { regex: '(^|/)emulators(/|$)', message: 'src/ never imports the local stand-ins in emulators/.' };
const DOMAIN_SDKS = {
  regex: '^(restify|@azure/|@microsoft/|ioredis|jose|pino|adaptivecards|node:http)',
  message: 'src/meetings/ is the pure domain: no SDK or transport (put it behind a port in meetings/ports.ts).',
};
const ADAPTER_FOLDERS = {
  regex: '^\\.\\./(bot|server|graph|auth|storage|cards|config|logging)(/|$)',
  message: 'src/meetings/ imports no adapter folder: adapters depend on the domain, not the other way round.',
};
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'devTools/**', 'appPackage/build/**', '.local/**', '.tmp/**', 'test-results/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      // One import style: relative modules without the .js suffix (the CommonJS build resolves them).
      'no-restricted-syntax': [
        'error',
        {
          selector: [
            'ImportDeclaration[source.value=/^\\.{1,2}\\/.*\\.js$/]',
            'ExportAllDeclaration[source.value=/^\\.{1,2}\\/.*\\.js$/]',
            'ExportNamedDeclaration[source.value=/^\\.{1,2}\\/.*\\.js$/]',
          ].join(', '),
          message: 'Import relative modules without the .js suffix (one import style).',
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      '@typescript-eslint/require-await': 'off',
      // A variable a closure reads before its single assignment (a server handler set up before the object exists).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config/**'],
    rules: {
      // Configuration is read once, in src/config (house-style rule 5).
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config.' }],
      'no-console': 'error',
    },
  },
  { files: ['src/**/*.ts'], rules: restrict(BOTBUILDER, EMULATORS) },
  { files: ['src/bot/**/*.ts', 'src/server/**/*.ts'], rules: restrict(EMULATORS) },
  { files: ['src/meetings/**/*.ts'], rules: restrict(BOTBUILDER, EMULATORS, DOMAIN_SDKS, ADAPTER_FOLDERS) },
  {
    files: ['test/**/*.ts'],
    plugins: { mocha },
    rules: {
      'mocha/no-exclusive-tests': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests read parsed JSON, .ics and JWT payloads whose shapes they assert.
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
);
