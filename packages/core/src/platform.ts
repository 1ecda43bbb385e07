// Core runs in Node, browsers and workers and is compiled without DOM or Node types, so the two host
// facilities it needs are reached through a structural view of globalThis.
const host = globalThis as unknown as {
  queueMicrotask?: (callback: () => void) => void
  crypto?: { randomUUID?: () => string }
}

/** Throws `error` outside the current call stack, so it is reported as uncaught but stops nothing. */
export function rethrowLater(error: unknown): void {
  const throwIt = () => {
    throw error
  }
  if (host.queueMicrotask) host.queueMicrotask(throwIt)
  else Promise.resolve().then(throwIt)
}

export function later(callback: () => void): void {
  if (host.queueMicrotask) host.queueMicrotask(callback)
  else Promise.resolve().then(callback)
}

/** A random session id: `crypto.randomUUID` where the host has it, else 128 random bits from Math.random. */
export function randomId(): string {
  const uuid = host.crypto?.randomUUID?.()
  if (uuid) return flat(uuid)
  let id = ''
  for (let i = 0; i < 4; i++)
    id += Math.floor(Math.random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0')
  return flat(id)
}

// Node (20) builds `randomUUID`'s string by 15 concatenations, and V8 keeps such a string as the chain
// of its pieces: 0.5 kB, held by a meeting for as long as its session id is, against 56 B for the same
// 36 characters in one piece. A join of its characters is one piece.
const flat = (text: string): string => text.split('').join('')
