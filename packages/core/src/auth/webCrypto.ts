import { MeetingError } from '../MeetingError.js'

// Core is compiled without DOM or Node types: the few WebCrypto members it uses, structurally.
export type CryptoKeyRef = { readonly type: string }
interface Subtle {
  generateKey(
    algorithm: { name: 'ECDSA'; namedCurve: 'P-256' },
    extractable: boolean,
    usages: string[],
  ): Promise<{ privateKey: CryptoKeyRef; publicKey: CryptoKeyRef }>
  exportKey(format: 'jwk', key: CryptoKeyRef): Promise<Record<string, unknown>>
  importKey(
    format: 'jwk',
    key: Record<string, unknown>,
    algorithm: { name: 'ECDSA'; namedCurve: 'P-256' },
    extractable: boolean,
    usages: string[],
  ): Promise<CryptoKeyRef>
  sign(
    algorithm: { name: 'ECDSA'; hash: 'SHA-256' },
    key: CryptoKeyRef,
    data: Uint8Array,
  ): Promise<ArrayBuffer>
  verify(
    algorithm: { name: 'ECDSA'; hash: 'SHA-256' },
    key: CryptoKeyRef,
    signature: Uint8Array,
    data: Uint8Array,
  ): Promise<boolean>
}

interface CryptoHost {
  crypto?: { subtle?: Subtle }
  isSecureContext?: boolean
  process?: { versions?: { node?: string } }
}

/** Why there is no `crypto.subtle` here, in words that name the fix. */
function missingReason(host: CryptoHost): string {
  const node = host.process?.versions?.node
  if (host.crypto === undefined) {
    return node === undefined
      ? 'this runtime has no WebCrypto (globalThis.crypto); run on one that has it, or install an implementation there.'
      : `Node.js ${node} has no global WebCrypto (globalThis.crypto): use Node.js 20.19 or later.`
  }
  if (host.isSecureContext === false) {
    return 'browsers offer it only in secure contexts: serve the app over https or from localhost.'
  }
  return 'this runtime has globalThis.crypto without its `subtle` member.'
}

/** WebCrypto's `subtle`, or an `AUTH_FAILED` error naming why it is missing and what fixes it. */
export function subtle(): Subtle {
  const host = globalThis as unknown as CryptoHost
  const found = host.crypto?.subtle
  if (!found) {
    throw new MeetingError(
      'AUTH_FAILED',
      `Tokens bound to a session key need WebCrypto (crypto.subtle), and ${missingReason(host)}`,
    )
  }
  return found
}

export const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const
export const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const

export const utf8 = (text: string) => new TextEncoder().encode(text)

export function toBase64Url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** `null` for anything that is not base64url. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
    return Uint8Array.from(binary, (c) => c.charCodeAt(0))
  } catch {
    return null
  }
}
