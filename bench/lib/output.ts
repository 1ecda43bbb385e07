import { writeFileSync } from 'node:fs'

/**
 * Each bench runs in its own process (so one bench's heap and JIT state never colour another's) and
 * hands its result to bench/run.ts through the file named in BENCH_OUT; run standalone, it prints it.
 */
export async function main<T>(run: () => Promise<T>): Promise<void> {
  const result = await run()
  const out = process.env.BENCH_OUT
  if (out) writeFileSync(out, JSON.stringify(result, null, 2))
  else console.log(JSON.stringify(result, null, 2))
  // Meetings under test keep heartbeat timers and sockets alive; the result is out, so stop here.
  process.exit(0)
}

/** Progress goes to stderr, so a bench's stdout stays free for its result. */
export const progress = (message: string) => process.stderr.write(`  · ${message}\n`)

/** A measurement that could not be taken, with the reason; never a made-up number. */
export interface NotMeasured {
  notMeasured: string
}
