import { MeetingError } from '../MeetingError.js'
import type { LinkId } from '../transport.js'
import { helloProofPayload } from '../wire/helloProof.js'
import { verifyProof } from './helloProof.js'
import type { HelloVerifier, VerifiedIdentity } from './verifyHelloToken.js'

export interface GatedMessage {
  linkId: LinkId
  data: unknown
  /** Set only here, after verification: a peer cannot claim it. */
  identity?: VerifiedIdentity
  refused?: MeetingError
  /** Traffic on a link that has not proved who speaks on it (since it came up): core asks for a hello. */
  unverified?: true
}

type HelloShape = {
  type: 'hello'
  token?: unknown
  proof?: unknown
  meetingId?: unknown
  session?: unknown
  joinedAt?: unknown
  participant?: { id?: unknown }
}

const isHelloShaped = (data: unknown): data is HelloShape =>
  typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'hello'

const sessionOf = (data: unknown) =>
  typeof data === 'object' && data !== null ? (data as { session?: unknown }).session : undefined

/** An END in the name of `session`, sent by it: `session` and `origin` both `session`. */
const isOwnEnd = (data: unknown, session: string | undefined): boolean => {
  if (session === undefined || typeof data !== 'object' || data === null) return false
  const { type, origin } = data as { type?: unknown; origin?: unknown }
  return type === 'end' && origin === session && sessionOf(data) === session
}

/** Held messages per link while its hello is checked; beyond this a flood is dropped, not buffered. */
const MAX_HELD = 256
/** How often an unproven link may make core ask it for a hello. */
const ASK_INTERVAL_MS = 1000

interface LinkState {
  /** The session whose hello was verified on this channel; `null` until then. */
  proven: string | null
  /** Messages that arrived while a hello was being verified. */
  held: unknown[] | null
  /** Bumped by every link-up and link-down: a verification of an older channel is void. */
  epoch: number
  lastAsk: number
}

/**
 * Admits traffic per link only after a hello on that very channel was verified: its token (by the
 * app's keys) and its proof (by the token's key, for this link's two addresses). Messages are kept in
 * order while a hello is checked; a new channel under an old address proves itself again. One
 * exception: an END in the own name of the session last proven at an address counts there while no
 * channel is proven (the signalling server's copy of a host's END, beside a link that is down).
 */
export function gateHellos(
  verify: HelloVerifier,
  ownAddress: () => LinkId | undefined,
  deliver: (message: GatedMessage) => void,
  refuse: (linkId: LinkId) => void,
  now: () => number = Date.now,
) {
  const links = new Map<LinkId, LinkState>()
  /**
   * The session last proven at each address, kept when its channel goes: an END in that session's own
   * name still counts there before a new channel proves itself (one address per sessions' pair). The
   * PeerJS transport hands core the host's END passed on by the signalling server as a message on the
   * host's address, and the link it travels beside may be down or redialling. Only that END: anything
   * else must wait for the hello, as before.
   */
  const provenBefore = new Map<LinkId, string>()
  let closed = false

  const state = (linkId: LinkId): LinkState => {
    let link = links.get(linkId)
    if (!link) {
      link = { proven: null, held: null, epoch: 0, lastAsk: Number.NEGATIVE_INFINITY }
      links.set(linkId, link)
    }
    return link
  }

  async function check(linkId: LinkId, hello: HelloShape, claimed: string): Promise<VerifiedIdentity> {
    const identity = await verify({
      token: typeof hello.token === 'string' ? hello.token : undefined,
      meetingId: hello.meetingId as string,
      participant: { id: claimed, name: '', role: 'participant' },
    })
    if (identity.confirmationKey === null) return identity // a bearer token, allowed by `auth`
    const to = ownAddress()
    const fail = (why: string) =>
      new MeetingError('AUTH_FAILED', `Refused "${claimed.slice(0, 64)}": ${why}.`, {
        details: { participantId: claimed, linkId },
      })
    if (to === undefined) throw fail('this transport gives sessions no address, so hellos cannot be proved')
    if (typeof hello.proof !== 'string') throw fail('its hello carries no proof of holding the token')
    if (typeof hello.session !== 'string' || typeof hello.joinedAt !== 'number') throw fail('malformed hello')
    const payload = helloProofPayload(
      {
        meetingId: hello.meetingId as string,
        participant: { id: claimed },
        session: hello.session,
        joinedAt: hello.joinedAt,
      },
      linkId,
      to,
    )
    if (!(await verifyProof(identity.confirmationKey, payload, hello.proof)))
      throw fail(
        "its hello's proof does not verify for this link (a token or hello replayed by someone else)",
      )
    return identity
  }

  function release(linkId: LinkId, link: LinkState): void {
    const held = link.held ?? []
    link.held = null
    for (const data of held) accept(linkId, data)
  }

  function accept(linkId: LinkId, data: unknown): void {
    if (closed) return
    const link = state(linkId)
    if (link.held) {
      if (link.held.length < MAX_HELD) link.held.push(data)
      return
    }
    const hello = isHelloShaped(data) ? data : null
    const claimed = hello?.participant?.id
    if (hello === null || typeof claimed !== 'string' || typeof hello.meetingId !== 'string') {
      if (link.proven !== null) {
        const session = sessionOf(data)
        if (session === link.proven) {
          deliver({ linkId, data })
          return
        }
        if (typeof session === 'string') {
          // A proven channel carries its own session's words only (a relay speaks as itself).
          const refused = new MeetingError(
            'AUTH_FAILED',
            `Refused a message: session "${session.slice(0, 64)}" speaking on another session's link.`,
            { details: { linkId } },
          )
          deliver({ linkId, data, refused })
          return
        }
      }
      if (link.proven === null && isOwnEnd(data, provenBefore.get(linkId))) {
        deliver({ linkId, data })
        return
      }
      // Parse errors are reported by core as for any message; unproven traffic only asks for a hello.
      if (hello !== null) {
        deliver({ linkId, data })
        return
      }
      if (now() - link.lastAsk < ASK_INTERVAL_MS) return
      link.lastAsk = now()
      deliver({ linkId, data, unverified: true })
      return
    }
    link.held = []
    const { epoch } = link
    check(linkId, hello, claimed).then(
      (identity) => {
        if (closed || link.epoch !== epoch) return
        link.proven = typeof hello.session === 'string' ? hello.session : null
        deliver({ linkId, data, identity })
        release(linkId, link)
      },
      (error: unknown) => {
        if (closed || link.epoch !== epoch) return
        const refused =
          error instanceof MeetingError
            ? error
            : new MeetingError('AUTH_FAILED', String(error), { cause: error })
        link.held = null // whatever it sent after a refused hello is not heard
        deliver({ linkId, data, refused })
        refuse(linkId)
      },
    )
  }

  /** A new channel (or none) under this address: whatever was proved on the old one is void. */
  function reset(linkId: LinkId): void {
    const link = links.get(linkId)
    if (!link) return
    if (link.proven !== null) provenBefore.set(linkId, link.proven)
    links.delete(linkId)
    link.epoch += 1
  }

  return {
    accept,
    linkUp: reset,
    linkDown: reset,
    close() {
      closed = true
      links.clear()
      provenBefore.clear()
    },
  }
}
