/** A host may end the meeting for everyone and remove others; a participant may not. */
export type ParticipantRole = 'host' | 'participant'

/** Who a participant says they are, before joining. */
export interface ParticipantInfo {
  /** Stable across sessions: the same person rejoining keeps the same id. 1-128 characters. */
  id: string
  /** Display name. Defaults to `id`. */
  name?: string
  /** Defaults to `'participant'`. Hosts may end the meeting for everyone and remove others. */
  role?: ParticipantRole
}

/**
 * What core needs to know of a media stream when the program has no DOM lib (a Node bot, a server):
 * its id and its tracks. Streams are the transport's; core passes them on untouched.
 */
export interface MediaStreamLike {
  /** The stream's id (a `MediaStream`'s `id`). */
  readonly id: string
  /** Its tracks: each with its `kind` (`'audio'`, `'video'`) and `stop()`, which ends it (a camera's light goes off). */
  getTracks(): ReadonlyArray<{ readonly kind: string; stop(): void }>
}

/**
 * A participant's media stream: the DOM's `MediaStream` wherever the program has the DOM lib
 * (browsers, `lib: ["DOM"]`), so it goes into `<video>.srcObject` without a cast; elsewhere
 * {@link MediaStreamLike}, so a Node-only `tsconfig` needs no DOM lib.
 */
export type MeetingMediaStream = typeof globalThis extends { MediaStream: { prototype: infer TStream } }
  ? TStream
  : MediaStreamLike

/** A participant as the meeting sees them. */
export interface Participant {
  /** Their participant id: the same across their sessions (a rejoin keeps it), 1-128 characters. */
  readonly id: string
  /** Their display name: what they gave as `participant.name`, or their `id` when they gave none. */
  readonly name: string
  /**
   * `'host'` or `'participant'`. With `auth`, the role their verified token grants; without, the role
   * they declared (anyone may claim `'host'`).
   */
  readonly role: ParticipantRole
  /** This join of theirs; a rejoin gets a new one. */
  readonly sessionId: string
  /** Their media stream (a `MediaStream` in browsers) when the transport carries media; otherwise `null`. */
  readonly stream: MeetingMediaStream | null
  /**
   * Whether their microphone is on (VideoSDK's `micOn`): `false` once they muted it, and everyone is
   * told (`participant-media-changed`). Says nothing about whether they have a microphone at all
   * (see `stream`). Starts `true`.
   */
  readonly micOn: boolean
  /** Whether their camera is on (VideoSDK's `webcamOn`), told to everyone as `micOn` is. Starts `true`. */
  readonly webcamOn: boolean
}
