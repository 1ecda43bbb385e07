import { defineConfig } from 'tsup'

export default defineConfig({
  // cli.ts is the `convene-server` bin; only the library entry gets type declarations.
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
})
