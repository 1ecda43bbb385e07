import { MeetingError } from '@convene/core'

/**
 * What a session signs to open its signalling connection: `convene-signal-v1\n<peerId>\n<ts>\n<secret>`.
 * The same format as `@convene/server`'s payload builder, which checks it (keep the two in step; this
 * package does not depend on the server). Signing the peer id binds it to the key the token names, so
 * only the token's holder can register under it; `ts` bounds how long a captured URL can be replayed.
 */
export function signallingPayload(peerId: string, ts: number, secret: string): string {
  return `convene-signal-v1\n${peerId}\n${ts}\n${secret}`
}

/** 32 random bytes as base64url (43 characters): the server accepts 16-43. */
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
 * The PeerJS `token` of a session whose token is bound to a key: `<secret>~<jwt>~<ts>~<sig>`, which
 * `@convene/server`'s PeerServer verifies on every WebSocket connect and rewrites to `<secret>` before
 * PeerJS's own server sees it. The secret stays the same for the whole session because PeerServer
 * lets a peer id back in after a drop only with the token it first registered with.
 */
export class SignallingCredential {
  private readonly secret = createSignallingSecret()
  private jwt: string | undefined

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

  private async build(jwt: string | undefined): Promise<string> {
    // A JWT is base64url and dots; anything else would break the `~`-separated format (and the URL).
    if (typeof jwt !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(jwt)) {
      throw new MeetingError(
        'AUTH_FAILED',
        'No token to present to the PeerServer: a signed session needs a JWT (core gives one with `sign`).',
      )
    }
    const ts = Date.now()
    const signature = await this.options.sign(signallingPayload(this.peerId, ts, this.secret))
    return `${this.secret}~${jwt}~${ts}~${signature}`
  }
}
