import {
  count,
  displayName,
  type Fail,
  flag,
  isRecord,
  mediaState,
  readFields,
  role,
} from './fieldReaders.js'

/**
 * What `@convene/server`'s Socket.IO relay and `@convene/transport-socketio` say to each other, typed
 * once for both. The handshake's proof format is in `relayProof.ts`, next to this.
 *
 * A client connects with `auth: { address, proof? }`: `address` is a Convene peer id
 * (`cv-<meeting>-<participant>-<session>` in hex), the only address it may send or receive under; with
 * `auth` on the server, `proof` is `<jwt>~<ts>~<sig>`, the session key's signature of
 * {@link relayPayload}. Every message a client sends is `msg(to | null, text)`; the server delivers
 * `msg({ from, data })` with `from` set by the server from the socket's registered address, so no
 * client can speak for another.
 */

/**
 * The version of this protocol between relay and client. A client presents it in its handshake
 * (`auth.protocol`) and the relay refuses another with `PROTOCOL_VERSION`; the relay names its own in
 * every `welcome`, and a client refuses a welcome of another (an older relay names none). Version 1 was
 * the protocol before either said which it spoke; 3 added the returner's welcome by reference
 * (`auth.returning`, `welcome.refs`). Bumped on any incompatible change of this file.
 */
export const RELAY_PROTOCOL_VERSION = 3

/** The longest message text the relay forwards (64 KiB); longer ones are refused with `MESSAGE_TOO_LARGE`. */
export const RELAY_MAX_MESSAGE_CHARS = 65_536

/**
 * The largest packet the relay reads, in bytes (its Engine.IO `maxHttpBufferSize`): a longer one,
 * the handshake included, closes the connection before Socket.IO reads it (WebSocket close 1009, HTTP
 * 413), with no typed refusal. Room for a message of {@link RELAY_MAX_MESSAGE_CHARS} and its envelope.
 */
export const RELAY_MAX_PACKET_BYTES = 2 * RELAY_MAX_MESSAGE_CHARS

/** A session on the relay: its address and the id of its current socket (new at every fresh connect). */
export interface RelayPeer {
  address: string
  sid: string
}

/**
 * A session as the relay vouches for it to the others (`welcome`, `peers-joined`): its address (meeting,
 * participant and session, in the peer id), the role the server verified (with `auth`, its token's
 * `role` claim; otherwise what the session declared), and what the session said of itself at connect
 * (name, when it started, its microphone and camera, kept current by its `media` events).
 */
export interface RelayMember extends RelayPeer {
  role: 'host' | 'participant'
  name: string
  joinedAt: number
  media: { mic: boolean; webcam: boolean }
  /** The relay checked a token and a proof of possession for this session (the server has `auth`). */
  verified: boolean
}

/**
 * A client's handshake (`auth` of its Socket.IO connection). `address` is required; with `auth` on the
 * server, `proof` too (`relayProof.ts`). The rest is what the session presents of itself, as a hello
 * would: a `role` the server's token check does not confirm is refused.
 */
export interface RelayHandshakeAuth {
  address: string
  /** The {@link RELAY_PROTOCOL_VERSION} the client speaks; absent means 1 (a client older than versions). */
  protocol?: number
  proof?: string
  /**
   * The session was welcomed on an earlier connection and still holds the meeting's records (it
   * connects afresh after a drop its relay could not recover, such as its node dying): its welcome
   * may name the sessions it lists by reference (`welcome.refs`) instead of carrying their records.
   */
  returning?: boolean
  name?: string
  role?: 'host' | 'participant'
  joinedAt?: number
  media?: { mic: boolean; webcam: boolean }
}

/** Why a session left the relay, as its peers are told in `peers-left`. */
export type RelayLeaveReason =
  /** It disconnected on purpose (the meeting's `leave`, `end`, a closed tab that said goodbye). */
  | 'left'
  /**
   * A newer connection registered the same address (the same session, connected afresh): only the
   * newest socket speaks under it. Not a departure: the session is still there, on its new socket.
   */
  | 'replaced'
  /**
   * Its connection was lost (network, ping timeout, its server node died) and it did not come back,
   * on any node, within the relay's grace period (`recoveryMs`): sent only once that has passed.
   */
  | 'lost'

/**
 * A session listed in a returner's `welcome` by reference: its address, its current socket id, the
 * digest of its record (`relayRecordDigest`, relayRefs.ts) and its microphone and camera (`1` mic + `2` camera,
 * the one part of a record that changes while a session lasts), in place of the record itself. A session that
 * connects afresh after a drop (a node died under it) still holds the records of the meeting it was
 * in seconds ago; at 1,000 the whole roster is ~270 kB to parse, and a herd of 500 returners made the
 * client processes the failover's bottleneck. As a JSON array of three strings an entry is about half
 * the bytes and a fifth of the parsing. A returner that does not hold a record with that digest asks
 * for the welcome again (`resend-welcome`), which always carries the records.
 */
export type RelayRef = [address: string, sid: string, digest: number, media: number]

/** A session that left the meeting, and why: what each entry of `peers-left` carries. */
export type RelayGone = RelayPeer & { reason: RelayLeaveReason }

/** Stable codes of the relay's refusals (`{ code, error }`, as the HTTP routes answer). */
export type RelayErrorCode =
  | 'UNAUTHORIZED'
  | 'INVALID_PROOF'
  | 'INVALID_ADDRESS'
  | 'INVALID_MESSAGE'
  | 'MESSAGE_TOO_LARGE'
  | 'BUSY'
  | 'INTERNAL_ERROR'
  /** The client speaks another {@link RELAY_PROTOCOL_VERSION} than the relay: one of them must be updated. */
  | 'PROTOCOL_VERSION'

export interface RelayError {
  code: RelayErrorCode
  error: string
}

/**
 * A meeting a host ended lately (`welcome.ended`): the END as the host sent it (`data`, the text of
 * core's `EndMessage`), from its address and socket. A session that comes back on a fresh connection
 * after that END went out missed it: it obeys it now if it knew that host session, as core would
 * have then (a session that joined after the END never knew it, and starts afresh).
 */
export interface RelayEnded extends RelayPeer {
  data: string
}

/** Events the server emits. Each takes one object, so Socket.IO's recovery offset is always a last argument of its own. */
export interface RelayServerEvents {
  /**
   * After a fresh (not recovered) connect: who is in the meeting now (`peers`: this session too, so the
   * sessions admitted on one read of the meeting share one welcome, encoded once), who left it lately (`gone`,
   * the last minute's departures), for a session that was away when they were announced, and who is
   * away but not gone (`away`: sessions whose connection dropped or whose node died, held for their
   * grace period; each either comes back in a `peers-joined` or leaves in a `peers-left`). `protocol`:
   * the {@link RELAY_PROTOCOL_VERSION} of the relay; `ended`: the meeting's END, if a host ended it in
   * the last minute. Also sent again when the client asks (`resend-welcome`).
   *
   * To a session whose handshake says it is `returning`, the listed sessions come as `refs` instead
   * (`peers` is empty): each names a record by its digest, which the session holds from before. One
   * that does not hold a record named asks again (`resend-welcome`): that welcome carries `peers`.
   */
  welcome: (welcome: {
    protocol: number
    peers: RelayMember[]
    refs?: RelayRef[]
    gone?: RelayGone[]
    away?: RelayPeer[]
    ended?: RelayEnded
  }) => void
  /**
   * Sessions joined the meeting (or came back to it), with the records the relay vouches for: gathered
   * per meeting over a few milliseconds, one broadcast per window, so a crowd joining at once costs
   * each listener one packet per window, not one per arrival. A listener may find itself in it.
   * Returns (sessions already in the meeting, back on a new socket) come by reference (`refs`, as in a
   * returner's welcome): a listener that does not hold a record named asks for a welcome.
   */
  'peers-joined': (joined: { joined: RelayMember[]; refs?: RelayRef[] }) => void
  /**
   * Sessions left the meeting, each once for the whole cluster: at once when one disconnected on
   * purpose, after the grace period when its connection was lost; gathered per meeting over a few
   * milliseconds, so `end()` among N costs O(N) packets, not one per departure per listener. Only the
   * server sends it: a client emitting it (or any event other than `msg`, `media` and `flush`) is refused.
   */
  'peers-left': (left: { gone: RelayGone[] }) => void
  msg: (message: { from: string; data: string }) => void
  /** A message the relay would not forward; the socket stays connected. */
  refused: (error: RelayError) => void
}

/** Events a client emits. */
export interface RelayClientEvents {
  msg: (to: string | null, data: string) => void
  /**
   * The meeting's END (`data` as for `msg`), for the whole meeting: relayed as `msg(null, data)`. From a
   * session the relay vouches for as a host, the relay then closes the meeting: every other session of
   * it is disconnected right behind the END, its departure told to nobody still there (they all had the END).
   */
  end: (data: string) => void
  /** The session's microphone and camera now: kept in its record, for those who join later. */
  media: (media: { mic: boolean; webcam: boolean }) => void
  /** Acknowledged once everything the client sent before it has been handed on: what `drain()` waits for. */
  flush: (ack: () => void) => void
  /**
   * Asks for a `welcome` (the meeting as it is now) to this socket, with every record (`peers`). A
   * welcome goes to its socket only, not through the cluster adapter, so Socket.IO's connection-state
   * recovery cannot replay it: a client whose connection dropped before its welcome arrived, and was
   * then recovered, asks for it again; so does a returner whose welcome named a record it does not hold.
   */
  'resend-welcome': () => void
}

const LEAVE_REASONS: readonly unknown[] = ['left', 'replaced', 'lost'] satisfies RelayLeaveReason[]

/** Whether an untrusted value is a {@link RelayGone}. */
export function isRelayGone(value: unknown): value is RelayGone {
  return isRelayPeer(value) && LEAVE_REASONS.includes((value as { reason?: unknown }).reason)
}

/** Whether an untrusted value is a {@link RelayMember}: a peer with a record as {@link readRelayRecord} reads it. */
export function isRelayMember(value: unknown): value is RelayMember {
  if (!isRelayPeer(value)) return false
  const record = value as unknown as Record<string, unknown>
  return readFields((fail) => {
    role(record.role, 'role', fail)
    displayName(record.name, 'name', fail)
    count(record.joinedAt, 'joinedAt', fail)
    mediaState(record.media, 'media', fail)
    flag(record.verified, 'verified', fail)
  }).ok
}

/** Reads a client's `media` event ({@link RelayClientEvents}): `{ mic, webcam }`, both booleans. */
export function readRelayMedia(value: unknown, fail: Fail): { mic: boolean; webcam: boolean } {
  return mediaState(value, 'media', fail)
}

/** What a session presents of itself in its {@link RelayHandshakeAuth}, each field as given or absent. */
export type PresentedSelf = Pick<RelayHandshakeAuth, 'name' | 'role' | 'joinedAt' | 'media'>

/**
 * Reads the fields a session presents of itself in its handshake (`auth.name`, `auth.role`,
 * `auth.joinedAt`, `auth.media`; `address` and `proof` are the handshake check's): each absent, or
 * valid as in a hello, with only these fields copied. `fail` is called with the first one that is not.
 */
export function readPresentedSelf(auth: unknown, fail: Fail): PresentedSelf {
  const raw = isRecord(auth) ? auth : {}
  const self: PresentedSelf = {}
  if (raw.name !== undefined) self.name = displayName(raw.name, 'auth.name', fail)
  if (raw.role !== undefined) self.role = role(raw.role, 'auth.role', fail)
  if (raw.joinedAt !== undefined) self.joinedAt = count(raw.joinedAt, 'auth.joinedAt', fail)
  if (raw.media !== undefined) self.media = mediaState(raw.media, 'auth.media', fail)
  return self
}

/** Whether an untrusted value is a {@link RelayEnded}. */
export function isRelayEnded(value: unknown): value is RelayEnded {
  return isRelayPeer(value) && typeof (value as { data?: unknown }).data === 'string'
}

/** Whether an untrusted value is a {@link RelayPeer}. */
export function isRelayPeer(value: unknown): value is RelayPeer {
  if (typeof value !== 'object' || value === null) return false
  const { address, sid } = value as Record<string, unknown>
  return typeof address === 'string' && typeof sid === 'string'
}
