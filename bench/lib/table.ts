import type { Distribution } from './stats.js'

/** Helpers for the bench's Markdown tables (bench/report.ts and the scale table). */

export const missing = (value: unknown): value is { notMeasured: string } =>
  typeof value === 'object' && value !== null && 'notMeasured' in value

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))]
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [
    line(cells[0]!),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ].join('\n')
}

export const fmt = (n: number) => n.toLocaleString('en-US')

/** `p50 / p95 (n=…, max …)`, or why it was not measured. */
export const spread = (d: Distribution | { notMeasured: string }) =>
  missing(d)
    ? `not measured: ${d.notMeasured}`
    : `${fmt(d.p50)} / ${fmt(d.p95)} (n=${d.n}, max ${fmt(d.max)})`
