import { MeetingError } from '@convene/core'
import {
  DIRECTORY_PROOF_HEADER,
  directoryPayload,
  formatDirectoryProof,
  formatSignallingToken,
  isJwtShaped,
  signallingPayload,
} from '@convene/core/wire'

/** 32 random bytes as base64url (43 characters): the wire format allows 16-43 (`isSignallingSecret`). */
export function createSignallingSecret(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32))
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export interface SigningOptions {
  /** Signs with the session's private key (core's `TransportSessionOptions.sign`). */
  sign: (data: string) => Promise<string>
  /** The token core gave at the start of the session. */
  token?: string
  /** A token valid for at least another minute (core's `TransportSessionOptions.freshToken`). */
  freshToken?: () => Promise<string>
}

/**
 * The PeerJS `token` of a session whose token is bound to a key: `<secret>~<jwt>~<ts>~<sig>`
 * (`@convene/core/wire`'s signalling proof), which `@convene/server`'s PeerServer verifies on every
 * WebSocket connect and rewrites to `<secret>` before PeerJS's own server sees it. Signing the peer id
 * binds it to the key the token names, so only the token's holder can register under it; the server
 * takes each (id, ts) once, and only while `ts` is within `PROOF_WINDOW_MS`, so a captured URL can be
 * neither replayed nor kept for later. The secret stays the same for the whole session because PeerServer
 * lets a peer id back in after a drop only with the token it first registered with.
 */
export class SignallingCredential {
  private readonly secret = createSignallingSecret()
  private jwt: string | undefined
  /** The last timestamp signed: the server takes each proof once, so no two may share one. */
  private lastTs = 0

  constructor(
    private readonly peerId: string,
    private readonly options: SigningOptions,
  ) {
    this.jwt = options.token
  }

  /** The token as last presented, for the room directory. */
  get token(): string | undefined {
    return this.jwt
  }

  /**
   * The room directory's headers: the token, and a proof (good for this one request) that this session
   * holds its key. Throws `AUTH_FAILED` without a token, as a connect would.
   */
  async directoryHeaders(meetingId: string): Promise<Record<string, string>> {
    const jwt = this.checked(this.jwt)
    const ts = this.nextTs()
    const signature = await this.options.sign(directoryPayload(meetingId, this.peerId, ts))
    return {
      Authorization: `Bearer ${jwt}`,
      [DIRECTORY_PROOF_HEADER]: formatDirectoryProof({ peerId: this.peerId, ts, signature }),
    }
  }

  /** For the first connect: the token core started the session with. */
  async initial(): Promise<string> {
    return this.build(this.jwt ?? (await this.refreshed()))
  }

  /** For a reconnect: a token fetched again if the old one is about to expire, and a new timestamp. */
  async renewed(): Promise<string> {
    return this.build(this.options.freshToken ? await this.refreshed() : this.jwt)
  }

  private async refreshed(): Promise<string | undefined> {
    this.jwt = (await this.options.freshToken?.()) ?? this.jwt
    return this.jwt
  }

  /** `Date.now()`, or one more than the last one signed when the clock has not moved on (or went back). */
  private nextTs(): number {
    this.lastTs = Math.max(Date.now(), this.lastTs + 1)
    return this.lastTs
  }

  private checked(jwt: string | undefined): string {
    // Anything but a JWT's shape would break the `~`-separated format (and the URL).
    if (!isJwtShaped(jwt)) {
      throw new MeetingError(
        'AUTH_FAILED',
        'No JWT to present to the PeerServer: a signed session needs its token to be one (core gives it with `sign`).',
      )
    }
    return jwt
  }

  private async build(token: string | undefined): Promise<string> {
    const jwt = this.checked(token)
    const ts = this.nextTs()
    const signature = await this.options.sign(signallingPayload(this.peerId, ts, this.secret))
    return formatSignallingToken({ secret: this.secret, jwt, ts, signature })
  }
}
