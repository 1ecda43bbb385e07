/**
 * How many cases a property runs: `FUZZ_RUNS` when set (`FUZZ_RUNS=100000 npm run test:fuzz`), else the CI
 * default. `FUZZ_SEED` (and `FUZZ_PATH`) replay the failure fast-check printed.
 */
export function fuzzParameters(ciDefault: number): { numRuns: number; seed?: number; path?: string } {
  const runs = Number(process.env.FUZZ_RUNS)
  const seed = Number(process.env.FUZZ_SEED)
  return {
    numRuns: Number.isSafeInteger(runs) && runs > 0 ? runs : ciDefault,
    ...(process.env.FUZZ_SEED !== undefined && Number.isSafeInteger(seed) ? { seed } : {}),
    ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
  }
}

/** Splits the requested runs across the files that share them, so both cores work. */
export function share(total: number, parts: number): number {
  return Math.max(1, Math.ceil(total / parts))
}
