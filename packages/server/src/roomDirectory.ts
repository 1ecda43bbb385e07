import { meetingKey, meetingKeyOfPeerId } from '@convene/core/wire'

/** Who is connected to the PeerServer, grouped by meeting. Only answers for a meeting named in full. */
export interface RoomDirectory {
  /** Records a peer that connected to the PeerServer. Ids that are not Convene peer ids are ignored. */
  add(peerId: string): void
  /** Forgets a peer whose PeerServer connection closed. */
  remove(peerId: string): void
  /** The peers currently connected in `meetingId`, in connection order. */
  list(meetingId: string): string[]
  /** How many meetings have at least one connected peer. */
  readonly size: number
}

export function createRoomDirectory(): RoomDirectory {
  const rooms = new Map<string, Set<string>>()
  return {
    add(peerId) {
      const key = meetingKeyOfPeerId(peerId)
      if (key === null) return
      let room = rooms.get(key)
      if (!room) {
        room = new Set()
        rooms.set(key, room)
      }
      room.add(peerId)
    },
    remove(peerId) {
      const key = meetingKeyOfPeerId(peerId)
      if (key === null) return
      const room = rooms.get(key)
      if (!room) return
      room.delete(peerId)
      // Empty rooms are dropped so the directory does not grow with every meeting ever held.
      if (room.size === 0) rooms.delete(key)
    },
    list(meetingId) {
      return [...(rooms.get(meetingKey(meetingId)) ?? [])]
    },
    get size() {
      return rooms.size
    },
  }
}
