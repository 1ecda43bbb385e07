import type { RelayMember, RelayRef } from './relayProtocol.js'

/**
 * What of a record a reference stands for, as a number: every field but the address, the socket id
 * and the media (role, verified, start, name), hashed to 53 bits (cyrb53 over the fields, no string
 * built: the client checks one per session listed, a thousand per welcome). Not a security boundary
 * (the relay vouches for the records; a reference only saves resending one the client already has
 * from the same relay), but two different records of one session colliding is ~2⁻⁵³.
 */
export function relayRecordDigest(member: RelayMember): number {
  const h = [0xdeadbeef ^ (member.verified ? 1 : 0), 0x41c6ce57] as [number, number]
  mixText(h, member.role)
  mix(h, member.joinedAt % 4294967296)
  mix(h, Math.floor(member.joinedAt / 4294967296))
  mixText(h, member.name)
  let [h1, h2] = h
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

function mix(h: [number, number], value: number): void {
  h[0] = Math.imul(h[0] ^ value, 2654435761)
  h[1] = Math.imul(h[1] ^ value, 1597334677)
}

function mixText(h: [number, number], text: string): void {
  for (let i = 0; i < text.length; i++) mix(h, text.charCodeAt(i))
  // A separator no UTF-16 unit equals, so ("ab", "c") and ("a", "bc") differ.
  mix(h, 0x10000)
}

/** A listed session as a returner's welcome names it. */
export const relayRefOf = (member: RelayMember): RelayRef => [
  member.address,
  member.sid,
  relayRecordDigest(member),
  (member.media.mic ? 1 : 0) + (member.media.webcam ? 2 : 0),
]

/** The microphone and camera a reference carries. */
export const mediaOfRef = (ref: RelayRef): RelayMember['media'] => ({
  mic: (ref[3] & 1) !== 0,
  webcam: (ref[3] & 2) !== 0,
})

/** Whether an untrusted value is a {@link RelayRef}. */
export function isRelayRef(value: unknown): value is RelayRef {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'string' &&
    typeof value[2] === 'number' &&
    (value[3] === 0 || value[3] === 1 || value[3] === 2 || value[3] === 3)
  )
}
