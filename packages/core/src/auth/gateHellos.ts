import { MeetingError } from '../MeetingError.js'
import type { LinkId } from '../transport.js'
import type { HelloVerifier, VerifiedIdentity } from './verifyHelloToken.js'

export interface GatedMessage {
  linkId: LinkId
  data: unknown
  /** Set only here, after verification: a peer cannot claim it. */
  identity?: VerifiedIdentity
  refused?: MeetingError
}

const isHelloShaped = (
  data: unknown,
): data is { type: 'hello'; token?: unknown; meetingId?: unknown; participant?: unknown } =>
  typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'hello'

/**
 * Holds each link's traffic while its hello's token is being verified, so messages are delivered in
 * order and a hello reaches the statechart only with the identity its token proves (or its refusal).
 */
export function gateHellos(
  verify: HelloVerifier,
  deliver: (message: GatedMessage) => void,
  refuse: (linkId: LinkId) => void,
) {
  const waiting = new Map<LinkId, unknown[]>()
  let closed = false

  const flush = (linkId: LinkId) => {
    const queue = waiting.get(linkId) ?? []
    waiting.delete(linkId)
    for (const data of queue) accept(linkId, data)
  }

  function accept(linkId: LinkId, data: unknown): void {
    if (closed) return
    const queue = waiting.get(linkId)
    if (queue) {
      queue.push(data)
      return
    }
    const hello = isHelloShaped(data) ? data : null
    const participant = hello?.participant as { id?: unknown } | undefined
    if (hello === null || typeof participant?.id !== 'string' || typeof hello.meetingId !== 'string') {
      deliver({ linkId, data })
      return
    }
    waiting.set(linkId, [])
    const claim = {
      token: typeof hello.token === 'string' ? hello.token : undefined,
      meetingId: hello.meetingId,
      participant: { id: participant.id, name: '', role: 'participant' as const },
    }
    verify(claim).then(
      (identity) => {
        if (closed) return
        deliver({ linkId, data, identity })
        flush(linkId)
      },
      (error: unknown) => {
        if (closed) return
        const refused =
          error instanceof MeetingError
            ? error
            : new MeetingError('AUTH_FAILED', String(error), { cause: error })
        deliver({ linkId, data, refused })
        refuse(linkId)
        flush(linkId)
      },
    )
  }

  return {
    accept,
    close() {
      closed = true
      waiting.clear()
    },
  }
}
