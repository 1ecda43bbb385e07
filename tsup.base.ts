import type { Options } from 'tsup'

/**
 * What every Convene package builds: ESM + CJS + declarations, from its sources, for ES2022 hosts. No
 * source maps: the output is not minified, so stack traces read as they are, and maps would either
 * carry every source again (`sourcesContent`, most of a tarball) or point at sources not shipped.
 */
export const packageBuild = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: false,
  clean: true,
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
} satisfies Options
