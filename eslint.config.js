// Lint for what tsc does not hold: the layering of src/ (layers.json: which folder may import which,
// no import cycles) and typescript-eslint's recommended rules. Formatting is Prettier's job, so no
// rule here judges layout.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';
import layers from './layers.json' with { type: 'json' };

const folders = Object.keys(layers).filter((k) => !k.startsWith('$'));

/** One block per folder: a relative import that reaches a folder not in its row is an error. */
const layering = folders.map((folder) => {
  const forbidden = folders.filter((f) => f !== folder && !layers[folder].includes(f));
  const names = forbidden.map((f) => (f === 'cli' ? 'cli(/|\\.js$)' : `${f}/`)).join('|');
  return {
    files: folder === 'cli' ? ['src/cli.ts', 'src/cli/**/*.{ts,tsx}'] : [`src/${folder}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^\\.\\.?/(.*/)?(${names})`,
              message: `src/${folder} may import only ${layers[folder].join(', ') || 'nothing of src/'} (layers.json).`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'fixtures/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.test.json' })],
      // no-cycle reads the imported files too: they are TypeScript.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      'import-x/no-cycle': 'error',
      // tsc's noUnusedLocals/noUnusedParameters already hold this, with the same `_` convention.
      '@typescript-eslint/no-unused-vars': 'off',
      // Terminal escape codes and XML-invalid characters are matched on purpose (report/junit.ts,
      // the colour tests).
      'no-control-regex': 'off',
    },
  },
  {
    // Tests read JSON documents the CLI printed and reach into API objects by hand: `any` there is
    // a cast of data under test, not a hole in the product's types.
    files: ['test/**/*.{ts,tsx}', 'test-*/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: globals.node },
  },
  ...layering,
);
