import { MeetingError } from './MeetingError.js'
import type { MeetingCommand } from './meetingMachine.js'
import { disposedCommandError } from './sessionWaits.js'
import type { Meeting, MeetingSnapshot } from './types.js'

export type MediaControls = Pick<
  Meeting,
  'toggleMic' | 'muteMic' | 'unmuteMic' | 'toggleWebcam' | 'disableWebcam' | 'enableWebcam'
>

/**
 * VideoSDK's microphone and camera methods over the statechart's `SET_MEDIA`. A toggle reads the state
 * it flips right before sending, in the same synchronous step, so two quick toggles always cancel out.
 */
export function mediaControls(
  current: () => MeetingSnapshot,
  send: (command: MeetingCommand) => void,
  disposed: () => boolean,
): MediaControls {
  const set =
    (action: string, change: (local: MeetingSnapshot['localParticipant']) => MeetingCommand) => () => {
      // Checked first, so the refusal says why: the meeting was disposed.
      if (disposed()) return Promise.reject(disposedCommandError(action))
      const now = current()
      if (now.status !== 'joined') return Promise.reject(MeetingError.notJoined(action))
      send(change(now.localParticipant))
      return Promise.resolve()
    }
  return {
    toggleMic: set('toggleMic', (local) => ({ type: 'SET_MEDIA', mic: !local.micOn })),
    muteMic: set('muteMic', () => ({ type: 'SET_MEDIA', mic: false })),
    unmuteMic: set('unmuteMic', () => ({ type: 'SET_MEDIA', mic: true })),
    toggleWebcam: set('toggleWebcam', (local) => ({ type: 'SET_MEDIA', webcam: !local.webcamOn })),
    disableWebcam: set('disableWebcam', () => ({ type: 'SET_MEDIA', webcam: false })),
    enableWebcam: set('enableWebcam', () => ({ type: 'SET_MEDIA', webcam: true })),
  }
}
