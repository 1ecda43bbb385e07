import { MeetingError } from '@convene/core'
import { readSessionPublicKey, type SessionPublicKey } from '@convene/core/wire'

export type { SessionPublicKey }

export const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const

/** Whether the point is on the curve: WebCrypto refuses to import one that is not. */
async function importable(key: SessionPublicKey): Promise<boolean> {
  try {
    await crypto.subtle.importKey('jwk', { ...key, ext: true }, ECDSA_P256, false, ['verify'])
    return true
  } catch {
    return false
  }
}

/**
 * Checks a session public key fully (shape and curve point); resolves its 4 members or rejects with
 * `MeetingError('INVALID_OPTION')` naming `option`.
 */
export async function checkSessionPublicKey(value: unknown, option = 'publicKey'): Promise<SessionPublicKey> {
  const key = readSessionPublicKey(value)
  if (typeof key === 'string') throw MeetingError.invalidOption(option, key)
  if (!(await importable(key))) throw MeetingError.invalidOption(option, 'is not a point on the P-256 curve')
  return key
}
