import type { PublicJwk } from './sessionKey.js'
import { type CryptoKeyRef, ECDSA_P256, ECDSA_SHA256, fromBase64Url, subtle, utf8 } from './webCrypto.js'

// Imported keys by thumbprint-ish identity: every hello of a long meeting would otherwise import again.
const imported = new Map<string, Promise<CryptoKeyRef>>()
const MAX_CACHED_KEYS = 256

function verifyKey(jwk: PublicJwk): Promise<CryptoKeyRef> {
  const id = `${jwk.x}.${jwk.y}`
  let key = imported.get(id)
  if (!key) {
    if (imported.size >= MAX_CACHED_KEYS) imported.delete(imported.keys().next().value as string)
    key = subtle().importKey('jwk', { ...jwk, ext: true }, ECDSA_P256, false, ['verify'])
    imported.set(id, key)
    key.catch(() => imported.delete(id))
  }
  return key
}

/** Whether `proof` is `jwk`'s signature over `payload`; never throws for a malformed proof or key. */
export async function verifyProof(jwk: PublicJwk, payload: string, proof: string): Promise<boolean> {
  const signature = fromBase64Url(proof)
  if (signature === null || signature.length !== 64) return false
  try {
    return await subtle().verify(ECDSA_SHA256, await verifyKey(jwk), signature, utf8(payload))
  } catch {
    return false
  }
}
