import { defineConfig } from 'tsup'
import { packageBuild } from '../../tsup.base.js'

// Two entries: the package, and `./conformance`, the transport conformance scenarios (no test runner inside).
export default defineConfig({
  ...packageBuild,
  entry: { index: 'src/index.ts', conformance: 'src/conformance/index.ts' },
})
