import { defineConfig } from 'tsup'
import { packageBuild } from '../../tsup.base.js'

export default defineConfig([
  // The library: ESM + CJS + declarations. Cleaning spares cli.js, which the other build writes meanwhile.
  { ...packageBuild, clean: ['!cli.js'] },
  // The `convene-server` bin: ESM only (`bin` points at it; nothing requires it), no declarations.
  { ...packageBuild, entry: ['src/cli.ts'], format: ['esm'], dts: false, clean: false },
])
