import type { webcrypto } from 'node:crypto'
import { MeetingError } from '@convene/core'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, importPKCS8, type JWK } from 'jose'

// The public types name Node's own WebCrypto key and a JWK of their own, not jose's: jose is ESM only,
// and a CommonJS app's TypeScript (module node16) refuses declarations that import from it.

/** A private or public key as a JSON Web Key (RFC 7517): the fields Convene reads, and any others. */
export interface SigningJwk {
  /** Key type: `'EC'` for Convene's keys. */
  kty?: string
  /** Curve: `'P-256'` for Convene's keys. */
  crv?: string
  /** The public point's x coordinate, base64url. */
  x?: string
  /** The public point's y coordinate, base64url. */
  y?: string
  /** The private part, base64url; absent from a public key. */
  d?: string
  /** The key id; on a signing key's public half, the id in every token it signs. */
  kid?: string
  /** The algorithm: `'ES256'` on a signing key's public half. */
  alg?: string
  /** What the key is for: `'sig'` on a signing key's public half. */
  use?: string
  /** Any other JWK parameter, kept as given. */
  [parameter: string]: unknown
}

/** Node's WebCrypto key (`globalThis.crypto.subtle`'s), as jose's `exportPKCS8` takes it. */
export type SigningCryptoKey = webcrypto.CryptoKey

/** The only algorithm Convene signs and accepts: ECDSA P-256 with SHA-256, as core's verifier expects. */
export const TOKEN_ALGORITHM = 'ES256'

/**
 * The app backend's key for signing participant tokens. Its `publicJwk` is what `GET
 * /.well-known/jwks.json` publishes and what every participant's `auth` verifies against.
 */
export interface SigningKey {
  /** The key id, in every token's header and in the published JWK, so keys can be rotated. */
  readonly kid: string
  /** The private half; never leaves the backend. */
  readonly privateKey: SigningCryptoKey
  /** The public half as a JWK, with `kid`, `alg: 'ES256'` and `use: 'sig'`. */
  readonly publicJwk: Readonly<SigningJwk>
}

export interface SigningKeyOptions {
  /** The key id. Defaults to the public key's RFC 7638 thumbprint, so the same key always gets the same id. */
  kid?: string
  /**
   * Whether `privateKey` can be exported (to persist a generated key with jose's `exportPKCS8`).
   * Defaults to `false`.
   */
  extractable?: boolean
}

const invalid = (option: string, message: string) => MeetingError.invalidOption(option, message)

function checkOptions(options: SigningKeyOptions): void {
  if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object')
  if (
    options.kid !== undefined &&
    (typeof options.kid !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(options.kid))
  ) {
    throw invalid('kid', 'must be 1-128 printable ASCII characters without spaces')
  }
  if (options.extractable !== undefined && typeof options.extractable !== 'boolean') {
    throw invalid('extractable', 'must be a boolean')
  }
}

async function publicHalf(jwk: JWK, kid: string | undefined): Promise<JWK> {
  const { kty, crv, x, y } = jwk
  const bare = { kty, crv, x, y }
  return { ...bare, kid: kid ?? (await calculateJwkThumbprint(bare)), alg: TOKEN_ALGORITHM, use: 'sig' }
}

/**
 * A fresh ES256 key pair. Tokens it signs stop verifying when the process that holds it exits, which
 * suits development and tests; production backends load a persisted key with {@link importSigningKey}.
 */
export async function generateSigningKey(options: SigningKeyOptions = {}): Promise<SigningKey> {
  checkOptions(options)
  const pair = await generateKeyPair(TOKEN_ALGORITHM, { extractable: options.extractable ?? false })
  const publicJwk = await publicHalf(await exportJWK(pair.publicKey), options.kid)
  return { kid: publicJwk.kid as string, privateKey: pair.privateKey, publicJwk }
}

/**
 * Loads a persisted P-256 private key: a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`) or a private JWK
 * (with `d`). Rejects with `MeetingError('INVALID_OPTION')` (option `key`) when it is neither.
 */
export async function importSigningKey(
  key: string | SigningJwk,
  options: SigningKeyOptions = {},
): Promise<SigningKey> {
  checkOptions(options)
  const extractable = options.extractable ?? false
  let privateJwk: JWK
  try {
    if (typeof key === 'string') {
      // Imported extractable once, only to derive the public half; the kept copy follows `extractable`.
      privateJwk = await exportJWK(await importPKCS8(key, TOKEN_ALGORITHM, { extractable: true }))
    } else if (typeof key === 'object' && key !== null && typeof key.d === 'string') {
      privateJwk = key
    } else {
      throw new TypeError('not a private JWK')
    }
    if (privateJwk.kty !== 'EC' || privateJwk.crv !== 'P-256') throw new TypeError('not a P-256 key')
    const privateKey = (await importJWK({ ...privateJwk, alg: TOKEN_ALGORITHM }, TOKEN_ALGORITHM, {
      extractable,
    })) as SigningCryptoKey
    const publicJwk = await publicHalf(privateJwk, options.kid ?? privateJwk.kid)
    return { kid: publicJwk.kid as string, privateKey, publicJwk }
  } catch (error) {
    if (error instanceof MeetingError) throw error
    throw new MeetingError(
      'INVALID_OPTION',
      'Invalid option `key`: expected a P-256 private key as PKCS#8 PEM or as a JWK with `d`.',
      { cause: error, details: { option: 'key' } },
    )
  }
}

/** Whether `value` looks like a {@link SigningKey} (checked before signing, for a clear error). */
export function isSigningKey(value: unknown): value is SigningKey {
  const key = value as Partial<SigningKey> | null
  return (
    typeof key === 'object' &&
    key !== null &&
    typeof key.kid === 'string' &&
    typeof key.privateKey === 'object' &&
    key.privateKey !== null &&
    typeof key.publicJwk === 'object' &&
    key.publicJwk !== null
  )
}
