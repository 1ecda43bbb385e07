import { createPublicKey, verify } from 'node:crypto'
import type { JWK } from 'jose'

/**
 * Whether `signature` (base64url of raw r || s) is `jwk`'s ECDSA P-256 / SHA-256 signature of `payload`.
 * Node's own crypto, synchronously: a relay node checks one proof per connecting socket, and after a
 * node died a herd of them at once; WebCrypto's import and verify cost each one two trips through the
 * thread pool and about half as much CPU again, on the event loop that is meanwhile accepting the herd.
 */
export async function signatureHolds(jwk: JWK, payload: string, signature: string): Promise<boolean> {
  try {
    const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' })
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return false
    return verify(
      'sha256',
      Buffer.from(payload),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    )
  } catch {
    return false
  }
}
