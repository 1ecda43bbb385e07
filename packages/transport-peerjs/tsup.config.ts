import { defineConfig } from 'tsup'
import { packageBuild } from '../../tsup.base.js'

// Two entries: the package, and `./node`, which installs Node's WebRTC and WebSocket first.
export default defineConfig({ ...packageBuild, entry: ['src/index.ts', 'src/node.ts'] })
