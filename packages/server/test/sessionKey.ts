import type { SessionPublicKey } from '@convene/server'

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const

/** A session key pair as core makes one at each join (WebCrypto, private key not extractable). */
export async function createSessionKey() {
  const { privateKey, publicKey } = await crypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify'])
  const exported = await crypto.subtle.exportKey('jwk', publicKey)
  const publicJwk: SessionPublicKey = { kty: 'EC', crv: 'P-256', x: exported.x!, y: exported.y! }
  return {
    publicJwk,
    /** WebCrypto's JWK export as is (with `key_ops` and `ext`), as an app might send it. */
    exported,
    /** base64url of the raw r || s signature, as core's `TransportSessionOptions.sign` resolves. */
    async sign(data: string): Promise<string> {
      const signature = await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        privateKey,
        new TextEncoder().encode(data),
      )
      return Buffer.from(signature).toString('base64url')
    },
  }
}

export type SessionKey = Awaited<ReturnType<typeof createSessionKey>>
