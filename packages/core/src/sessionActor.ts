import { fromCallback } from 'xstate'
import { attestedLinks } from './attestedLinks.js'
import type { SessionCredentials } from './auth/credentials.js'
import { type GatedMessage, gateHellos } from './auth/gateHellos.js'
import type { MeetingInput } from './context.js'
import { announceLateness, arrivalClock } from './departureDetector.js'
import { MeetingError } from './MeetingError.js'
import { createOutbox } from './outbox.js'
import { type PeerEvent, toPeerEvent } from './peerEvents.js'
import type { WireMessage } from './protocol.js'
import { type SessionEvent, toSessionEvent } from './sessionEvents.js'
import type { LinkId, TransportSession, TransportSessionOptions } from './transport.js'

/** What the meeting asks of its session. */
export type SessionCommand =
  /**
   * One statechart step's messages, in order, then the links whose session it admitted (the transport
   * may send them media now): one command per step, however many messages.
   */
  | { type: 'deliver'; sends: readonly { message: WireMessage; to?: LinkId }[]; admits: readonly LinkId[] }
  | { type: 'drain' }
  | { type: 'close-link'; linkId: LinkId }
  /** The app is out: stop the local camera and microphone now, while goodbyes are still delivered. */
  | { type: 'release-media' }
  /** The local microphone and camera the app wants on; the transport enables or stops its tracks. */
  | { type: 'set-media'; mic: boolean; webcam: boolean }

/** What a session is started with: the meeting's constant setup, and this session's identity and credentials. */
export interface SessionInput {
  setup: MeetingInput
  credentials: SessionCredentials | null
  options: TransportSessionOptions
}

/**
 * The transport session as an actor of the meeting: it subscribes to the transport's stream and stops
 * by unsubscribing, which closes every link, call and track. There is no other cleanup path.
 *
 * With credentials it also signs: each outgoing hello gets the token and a proof for its link, and
 * since signing is async, later sends wait behind it so no link hears anything before its hello.
 */
export const sessionLogic = fromCallback<SessionCommand, SessionInput, SessionEvent | PeerEvent>(
  ({ input, sendBack, receive }) => {
    const { setup, credentials: own } = input
    const { transport, verify } = setup
    if (!transport) {
      sendBack({
        type: 'transport.error',
        fatal: true,
        error: new MeetingError(
          'JOIN_FAILED',
          'No transport: create meetings with createMeeting({ transport })',
        ),
      })
      return
    }
    let closed = false
    const presenceAuthority = transport.presence === 'transport'
    const identityAuthority = transport.identity === 'transport'
    const session = transport.session(own ? withCredentials(input.options, own) : input.options)
    const tell = (event: SessionEvent | PeerEvent) => {
      if (!closed) sendBack(event)
    }
    const self = { sessionId: input.options.sessionId, verified: verify !== undefined }
    // Arrival times on the meeting's clock (small integers, see `arrivalClock`), the one the departure
    // sweep reads silence on.
    const clock = setup.clock ?? arrivalClock()
    // Parsed and typed here, one statechart step per message. `at`: when it reached this session, so
    // the departure detector learns each peer's gaps.
    const heard = (message: GatedMessage) => {
      const event = toPeerEvent(message, self, clock())
      if (event) tell(event)
    }
    // Who is who: the transport's records when it attests identity, else (with auth) verified hellos.
    const attested =
      identityAuthority &&
      attestedLinks({
        meetingId: setup.meetingId,
        ownSession: input.options.sessionId,
        verifiedOnly: verify !== undefined,
        intervalMs: setup.timing.tickMs,
        deliver: heard,
        tell,
      })
    const gate =
      !attested &&
      verify !== undefined &&
      gateHellos(
        verify,
        () => session.address,
        heard,
        (linkId) => session.closeLink?.(linkId),
      )
    const stampLateness = announceLateness(setup.timing.tickMs)
    const outbox = createOutbox(session, own, (error) =>
      tell({ type: 'transport.error', error, fatal: false }),
    )
    receive((command) => {
      if (command.type === 'drain') {
        const drained = outbox.flushed().then(() => session.drain?.())
        drained.then(
          () => tell({ type: 'session.drained' }),
          () => tell({ type: 'session.drained' }),
        )
      } else if (command.type === 'close-link') {
        session.closeLink?.(command.linkId)
      } else if (command.type === 'release-media') {
        try {
          session.releaseLocalMedia?.()
        } catch (error) {
          // Not told to the app (it is already out); the tracks stop at unsubscribe anyway.
          void error
        }
      } else if (command.type === 'set-media') {
        setLocalMedia(session, command, tell)
      } else {
        for (const out of command.sends) outbox.send(stampLateness(out.message), out.to)
        for (const linkId of command.admits) session.admitLink?.(linkId)
      }
    })
    const subscription = session.events.subscribe({
      next: (raw) => {
        const event = toSessionEvent(raw, presenceAuthority, identityAuthority)
        if (event.type === 'transport.message') {
          if (attested) attested.accept(event.linkId, event.data)
          else if (gate) gate.accept(event.linkId, event.data)
          else heard(event)
          return
        }
        if (attested && event.type === 'transport.link-up') {
          // A record is that session's hello, one statechart step; a bare link-up is a channel still unknown.
          if (!event.peer) tell(event)
          attested.linkUp(event.linkId, event.peer)
          return
        }
        if (attested && event.type === 'transport.link-down') attested.linkDown(event.linkId)
        if (gate && event.type === 'transport.link-up') gate.linkUp(event.linkId)
        if (gate && event.type === 'transport.link-down') gate.linkDown(event.linkId)
        tell(event)
      },
      error: (error) => tell({ type: 'transport.error', error, fatal: true }),
      complete: () =>
        tell({
          type: 'transport.error',
          error: new MeetingError('TRANSPORT_ERROR', 'Transport closed the session'),
          fatal: true,
        }),
    })
    return () => {
      closed = true
      if (gate) gate.close()
      subscription.unsubscribe()
    }
  },
)

// The others are told whatever the transport does with its tracks: a device that fails to reopen is
// reported, and the meeting goes on.
function setLocalMedia(
  session: TransportSession,
  media: { mic: boolean; webcam: boolean },
  tell: (event: SessionEvent) => void,
): void {
  const report = (error: unknown) => tell({ type: 'transport.error', error, fatal: false })
  try {
    session.setLocalMedia?.({ mic: media.mic, webcam: media.webcam })?.catch(report)
  } catch (error) {
    report(error)
  }
}

function withCredentials(input: TransportSessionOptions, own: SessionCredentials): TransportSessionOptions {
  return {
    ...input,
    token: own.token,
    freshToken: () => own.fresh(),
    ...(own.key ? { sign: own.key.sign } : {}),
  }
}
