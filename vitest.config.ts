import { defineConfig } from 'vitest/config'
import projects from './vitest.workspace.ts'

// Vitest 4 no longer reads vitest.workspace.ts by itself; the project list lives there and is used here.
export default defineConfig({
  test: {
    projects,
    passWithNoTests: false,
  },
})
