import type { IncomingMessage } from 'node:http'
import type { ParticipantRole } from '@convene/core'

/**
 * The role each signalling socket's token was verified for (`verifySignalling.ts` checks it as the
 * socket upgrades), kept by socket, not by peer id: the role holds for exactly the socket that proved
 * it, a client back on a new socket proves itself again, and a closed socket's entry goes with it.
 */
export interface SignallingRoles {
  /** The upgrade request `request` was verified, its token for `role` (`null`: none core accepts). */
  verified(request: IncomingMessage, role: ParticipantRole | null): void
  /** The WebSocket of a verified request is up (ws's `connection`). */
  connected(socket: object, request: IncomingMessage): void
  /** The role `socket` was verified for; `null` for a socket whose token names none or was never verified. */
  roleOf(socket: object | null): ParticipantRole | null
}

export function createSignallingRoles(): SignallingRoles {
  const byRequest = new WeakMap<IncomingMessage, ParticipantRole | null>()
  const bySocket = new WeakMap<object, ParticipantRole | null>()
  return {
    verified: (request, role) => byRequest.set(request, role),
    connected(socket, request) {
      const role = byRequest.get(request)
      if (role !== undefined) bySocket.set(socket, role)
    },
    roleOf: (socket) => (socket === null ? null : (bySocket.get(socket) ?? null)),
  }
}
