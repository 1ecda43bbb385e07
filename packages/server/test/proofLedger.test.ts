import { describe, expect, it } from 'vitest'
import { createProofLedger } from '../src/proof/proofLedger.js'

const WINDOW = 120_000

/** A ledger on a clock the test moves by hand. */
function ledgerAt(start: number, maxEntries?: number) {
  const clock = { now: start }
  const ledger = createProofLedger({
    windowMs: WINDOW,
    now: () => clock.now,
    ...(maxEntries === undefined ? {} : { maxEntries }),
  })
  return { ledger, clock }
}

describe('proof ledger: each proof once, remembered only while it could still be accepted', () => {
  it('a second claim of the same proof is refused; another proof is not', () => {
    const { ledger } = ledgerAt(1_000_000)
    expect(ledger.claim('a', 1_000_000)).toBe('ok')
    expect(ledger.claim('a', 1_000_000)).toBe('used')
    expect(ledger.claim('b', 1_000_000)).toBe('ok')
    expect(ledger.size).toBe(2)
  })

  it('keeps a proof until its ts is out of the window, and drops it after (on the next check)', () => {
    const start = 5_000_000
    const { ledger, clock } = ledgerAt(start)
    expect(ledger.claim('past', start - WINDOW)).toBe('ok')
    expect(ledger.claim('now', start)).toBe('ok')
    expect(ledger.claim('future', start + WINDOW)).toBe('ok')
    // Each is still inside its window exactly at ts + WINDOW: a replay then must still be refused.
    clock.now = start
    expect(ledger.claim('past', start - WINDOW)).toBe('used')
    clock.now = start + WINDOW
    expect(ledger.claim('now', start)).toBe('used')
    expect(ledger.size).toBe(2)
    clock.now = start + 2 * WINDOW
    expect(ledger.claim('future', start + WINDOW)).toBe('used')
    clock.now = start + 2 * WINDOW + 1000
    expect(ledger.size).toBe(0)
  })

  it('stays bounded under a steady stream: never more than the proofs of about one window', () => {
    const start = 9_000_000
    const { ledger, clock } = ledgerAt(start)
    let most = 0
    // Ten proofs a second for ten minutes of simulated time.
    for (let i = 0; i < 6000; i++) {
      clock.now = start + i * 100
      expect(ledger.claim(`p${i}`, clock.now)).toBe('ok')
      most = Math.max(most, ledger.size)
    }
    // 120 s of proofs plus the bucket being filled: 1200 + at most 10, far below the 6000 claimed.
    expect(most).toBeLessThanOrEqual(1210)
    expect(most).toBeGreaterThanOrEqual(1200)
  })

  it('when full, refuses new proofs (the server answers 503) until old ones go stale; a replay is still "used"', () => {
    const start = 2_000_000
    const { ledger, clock } = ledgerAt(start, 3)
    for (const key of ['a', 'b', 'c']) expect(ledger.claim(key, start)).toBe('ok')
    expect(ledger.claim('d', start)).toBe('full')
    expect(ledger.claim('a', start)).toBe('used')
    clock.now = start + WINDOW + 1000
    expect(ledger.claim('d', clock.now)).toBe('ok')
    expect(ledger.size).toBe(1)
  })
})
