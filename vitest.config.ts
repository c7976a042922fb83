import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    maxWorkers: 4,
    testTimeout: 20_000,
    env: { NO_COLOR: '1' },
  },
})
