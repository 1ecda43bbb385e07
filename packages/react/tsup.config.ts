import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
  // Peers must stay single copies in the app: a second React or a second core breaks context and `instanceof`.
  external: ['react', 'react-dom', 'react/jsx-runtime', '@convene/core'],
})
