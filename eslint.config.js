// ESLint, type-aware: typescript-eslint's strict and stylistic type-checked
// sets for the library (src/), its recommended type-checked set for tests,
// benchmarks and examples, plain recommended rules for the JavaScript
// scripts. `npm run lint` runs it; `npm test` too. Formatting is Prettier's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Numbers, booleans and nullish values read well in messages; objects do not. */
const templates = ['error', { allowNumber: true, allowBoolean: true, allowNullish: true, allowRegExp: true }];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'docs/api/**',
      'coverage/**',
      '.tsperf/**',
      'src/wire/generated/**',
      'src/dashboard/static-assets.ts',
      'flink/**',
      'test/consumers/**',
      '**/*.d.ts',
      // Type tests are full of deliberate type errors; tsd and scripts/check-type-errors.mjs check them.
      'test-d/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts', 'vitest.e2e.config.ts', 'scripts/*.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': templates,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // An async function without `await` still turns a throw into a rejection, which promise-returning functions must do.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests, benchmarks and scripts: vitest's asymmetric matchers (`expect.stringContaining`) are typed `any`, JSON
    // bodies are read as `any`, hostile tests throw what is not an Error and match terminal escapes on purpose.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/only-throw-error': 'off',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    extends: [...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    rules: {
      '@typescript-eslint/restrict-template-expressions': templates,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `x as T` where the type says why; the strict set already forbids `x!`.
      '@typescript-eslint/non-nullable-type-assertion-style': 'off',
      // Off: public functions check what untyped callers (JavaScript, `as any`, data from the wire) pass,
      // although the types say it cannot happen — that check is the run-time half of the types' promise; and
      // the rule does not see writes made in callbacks (a `changed` flag set by a visitor reads as always false).
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // As above: an async function without `await` rejects instead of throwing.
      '@typescript-eslint/require-await': 'off',
      // An empty string is "not given" in protobuf messages: `a || b` falls through it on purpose.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
      // Passing on a caught value as it is.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/dashboard/static/**/*.js', 'docs/site/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
