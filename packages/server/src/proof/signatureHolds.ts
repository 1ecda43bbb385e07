import type { JWK } from 'jose'
import { ECDSA_P256 } from '../auth/publicKey.js'

/** Whether `signature` (base64url of raw r || s) is `jwk`'s ECDSA P-256 / SHA-256 signature of `payload`. */
export async function signatureHolds(jwk: JWK, payload: string, signature: string): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey('jwk', { ...jwk, ext: true }, ECDSA_P256, false, ['verify'])
    return await crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      Buffer.from(signature, 'base64url'),
      new TextEncoder().encode(payload),
    )
  } catch {
    return false
  }
}
