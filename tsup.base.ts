import type { Options } from 'tsup'

/** What every Convene package builds: ESM + CJS + declarations, from its sources, for ES2022 hosts. */
export const packageBuild = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
} satisfies Options
