import { MeetingError } from '@convene/core'
import { RELAY_MAX_PACKET_BYTES } from '@convene/core/wire'

const utf8 = new TextEncoder()

/**
 * A handshake the relay would not read, or `null`: its Socket.IO CONNECT packet (`40` and the JSON)
 * over `RELAY_MAX_PACKET_BYTES` would only close the connection, at every retry, with no typed refusal.
 */
export function checkHandshakeSize(handshake: unknown): MeetingError | null {
  const bytes = utf8.encode(`40${JSON.stringify(handshake)}`).length
  return bytes > RELAY_MAX_PACKET_BYTES
    ? handshakeTooLarge(`is ${bytes} bytes, over the relay's ${RELAY_MAX_PACKET_BYTES}`)
    : null
}

/**
 * Whether Socket.IO's close details say the server refused a packet for its size: Engine.IO closes a
 * WebSocket with code 1009 ("message too big") and answers a polling POST with HTTP 413 when a packet
 * is over its `maxHttpBufferSize`, before Socket.IO reads it. Over polling the server may close the
 * transport before its 413 arrives; that close says nothing, and reads as a dropped connection.
 */
export function isPacketTooLarge(details: unknown): boolean {
  if (typeof details !== 'object' || details === null) return false
  const { description, context } = details as { description?: unknown; context?: unknown }
  if (description === 413) return true
  if (typeof context !== 'object' || context === null) return false
  const { code, status } = context as { code?: unknown; status?: unknown }
  return code === 1009 || status === 413
}

/** The handshake (address, name, token, proof) is too large: every retry would send it again. */
export function handshakeTooLarge(how: string): MeetingError {
  return new MeetingError(
    'MESSAGE_TOO_LARGE',
    `The relay handshake (the address, name, token and proof) ${how}; it is not sent again. ` +
      'Use a shorter token or participant name, or raise the limit of the relay or the proxy in front of it.',
  )
}

/** Once the relay took the session: something it sent was too large, and the relay dropped the connection. */
export function sentTooLarge(): MeetingError {
  return new MeetingError(
    'MESSAGE_TOO_LARGE',
    'The relay closed the connection for a packet over its size limit (WebSocket close 1009 or HTTP 413); ' +
      'that packet was not delivered, and the session reconnects.',
  )
}
