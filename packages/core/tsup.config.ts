import { defineConfig } from 'tsup'
import { packageBuild } from '../../tsup.base.js'

// Three entries: the package; `./conformance`, the transport conformance scenarios (no test runner
// inside); and `./wire`, the dependency-free wire formats the transport and server share.
export default defineConfig({
  ...packageBuild,
  entry: { index: 'src/index.ts', conformance: 'src/conformance/index.ts', wire: 'src/wire/index.ts' },
})
