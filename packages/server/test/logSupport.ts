import { type Logger, pino } from 'pino'

/** A real pino logger writing into memory: every line as written, and parsed. */
export function captureLogs(level: 'debug' | 'info' | 'warn' = 'debug') {
  const raw: string[] = []
  const lines: Record<string, unknown>[] = []
  const logger: Logger = pino(
    { level },
    {
      write(line: string) {
        raw.push(line)
        lines.push(JSON.parse(line) as Record<string, unknown>)
      },
    },
  )
  /** The lines of one event, such as `'token.issued'`. */
  const events = (event: string) => lines.filter((line) => line.event === event)
  return { logger, raw, lines, events }
}
