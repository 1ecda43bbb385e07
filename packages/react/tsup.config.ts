import { defineConfig } from 'tsup'
import { packageBuild } from '../../tsup.base.js'

export default defineConfig({
  ...packageBuild,
  // Peers must stay single copies in the app: a second React or a second core breaks context and `instanceof`.
  external: ['react', 'react/jsx-runtime', '@convene/core'],
})
