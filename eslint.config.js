import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'src/generated/', 'node_modules/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Ink patches the console; core and UI report through events and return values.
    files: ['src/core/**', 'src/ui/**'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['tests/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly' } },
  },
)
