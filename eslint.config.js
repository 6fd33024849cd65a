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
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/restrict-template-expressions': templates,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
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
