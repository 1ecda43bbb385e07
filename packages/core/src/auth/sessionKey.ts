import type { PublicJwk } from '../meetingAuth.js'
import { readSessionPublicKey } from '../wire/sessionPublicKey.js'
import { type CryptoKeyRef, ECDSA_P256, ECDSA_SHA256, subtle, toBase64Url, utf8 } from './webCrypto.js'

export type { PublicJwk }

/** One session's key pair. The private key is not extractable: nothing, not even the app, can copy it. */
export interface SessionKey {
  readonly publicJwk: PublicJwk
  /** base64url of the raw ECDSA P-256 / SHA-256 signature (r || s, 64 bytes). */
  sign(data: string): Promise<string>
}

export async function createSessionKey(): Promise<SessionKey> {
  const crypto = subtle()
  const { privateKey, publicKey } = await crypto.generateKey(ECDSA_P256, false, ['sign', 'verify'])
  const { x, y } = await crypto.exportKey('jwk', publicKey)
  const publicJwk: PublicJwk = { kty: 'EC', crv: 'P-256', x: String(x), y: String(y) }
  return {
    publicJwk,
    sign: async (data: string) =>
      toBase64Url(new Uint8Array(await crypto.sign(ECDSA_SHA256, privateKey as CryptoKeyRef, utf8(data)))),
  }
}

/** The `cnf.jwk` of a token as a public key, or `null` when it is not an EC P-256 public JWK. */
export function readPublicJwk(value: unknown): PublicJwk | null {
  const key = readSessionPublicKey(value)
  return typeof key === 'string' ? null : { ...key }
}

export const sameKey = (a: PublicJwk, b: PublicJwk) => a.x === b.x && a.y === b.y
