import type { MeetingContext } from './context.js'
import { hear } from './membership.js'
import type { MediaMessage } from './protocol.js'
import type { SessionCommand } from './sessionActor.js'
import type { LinkId } from './transport.js'
import { beginWork, send, tell, type Work } from './work.js'

/** What the app asks to change: a side left out stays as it is. */
export interface MediaChange {
  mic?: boolean
  webcam?: boolean
}

/** The command that tells the transport which local tracks to send. */
export function mediaCommand(context: MeetingContext): SessionCommand {
  return { type: 'set-media', mic: context.local.micOn, webcam: context.local.webcamOn }
}

/** Whether the app asks for something other than what the local microphone and camera are now. */
export const changesMedia = (context: MeetingContext, change: MediaChange): boolean =>
  (change.mic ?? context.local.micOn) !== context.local.micOn ||
  (change.webcam ?? context.local.webcamOn) !== context.local.webcamOn

/**
 * The local participant turns its microphone or camera on or off: the new state, and one MEDIA message
 * to everyone with both flags, so whichever copy arrives last carries the whole truth. No change, no
 * message: a second `muteMic()` tells nobody anything.
 */
export function setLocalMedia(context: MeetingContext, change: MediaChange): Work {
  const work = beginWork(context)
  const mic = change.mic ?? context.local.micOn
  const webcam = change.webcam ?? context.local.webcamOn
  if (mic === context.local.micOn && webcam === context.local.webcamOn) return work
  work.local = { ...context.local, micOn: mic, webcamOn: webcam }
  send(work, { type: 'media', mic, webcam })
  return work
}

/**
 * A remote session's MEDIA message. Applied only if newer than what we have from that session (its
 * hello counts as one), so a duplicate or an overtaken copy changes nothing; told to the app once per
 * real change, and only once joined (while joining the roster is updated silently).
 */
export function mediaFrom(
  context: MeetingContext,
  event: { linkId: LinkId; message: MediaMessage; at?: number },
  announce: boolean,
): Work {
  const work = beginWork(context)
  hear(work, event.linkId, event.message, event.at)
  const { session } = work
  const { message } = event
  const presence = session.presence.get(message.session)
  // An unknown session: `hear` has asked for its hello, which carries the same state.
  if (presence === undefined || message.seq <= presence.mediaSeq) return work
  session.presence = session.presence.set(message.session, { ...presence, mediaSeq: message.seq })
  const participant = session.members.get(presence.participantId)
  if (participant === undefined || participant.sessionId !== message.session) return work
  if (participant.micOn === message.mic && participant.webcamOn === message.webcam) return work
  const updated = { ...participant, micOn: message.mic, webcamOn: message.webcam }
  session.members = session.members.set(participant.id, updated)
  session.rosterVersion += 1
  if (announce) tell(work, { type: 'participant-media-changed', participant: updated })
  return work
}
