/** How many accepted proofs a ledger remembers at most, by default. */
export const DEFAULT_MAX_PROOFS = 100_000

export interface ProofLedgerOptions {
  /** How far a proof's `ts` may be from now, either way; a proof is remembered until it is stale. */
  windowMs: number
  /** Most proofs remembered at once. Defaults to {@link DEFAULT_MAX_PROOFS}. */
  maxEntries?: number
  /** The clock. Defaults to `Date.now`. */
  now?: () => number
}

/** `'ok'`: first use, now remembered; `'used'`: seen before; `'full'`: too many live proofs to remember. */
export type ClaimResult = 'ok' | 'used' | 'full'

export interface ProofLedger {
  /**
   * Records the first use of a proof. `key` must name what was signed (never the signature: an ECDSA
   * signature has a second valid form, (r, n − s), so keying on it would let a replay through).
   * Synchronous, so two requests verified at the same time cannot both claim the same proof.
   */
  claim(key: string, ts: number): ClaimResult
  /** How many proofs are remembered now (after dropping the stale ones). */
  readonly size: number
}

/**
 * Single use for signed, timestamped proofs. A proof is kept only while its `ts` is inside the window
 * (after that it is refused as stale anyway), grouped in one-second buckets by the moment it goes stale
 * so each check drops whole buckets. Memory is capped: when full, new proofs are refused (`'full'`,
 * which the server answers with 503) rather than remembered without bound or forgotten early.
 */
export function createProofLedger(options: ProofLedgerOptions): ProofLedger {
  const { windowMs, maxEntries = DEFAULT_MAX_PROOFS, now = Date.now } = options
  const seen = new Set<string>()
  /** Bucket (the second after which its proofs are stale) → the keys in it. */
  const buckets = new Map<number, string[]>()

  const prune = () => {
    const current = now()
    for (const [bucket, keys] of buckets) {
      // A key in bucket b has ts + windowMs < b * 1000, so once now >= b * 1000 it is stale.
      if (bucket * 1000 > current) continue
      for (const key of keys) seen.delete(key)
      buckets.delete(bucket)
    }
  }

  return {
    claim(key, ts) {
      prune()
      if (seen.has(key)) return 'used'
      if (seen.size >= maxEntries) return 'full'
      seen.add(key)
      const bucket = Math.floor((ts + windowMs) / 1000) + 1
      const keys = buckets.get(bucket)
      if (keys) keys.push(key)
      else buckets.set(bucket, [key])
      return 'ok'
    },
    get size() {
      prune()
      return seen.size
    },
  }
}
