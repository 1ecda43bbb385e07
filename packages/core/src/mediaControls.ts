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
type LocalParticipant = MeetingSnapshot['localParticipant']

// The commands, made once for every meeting (a meeting holds only its six methods and one closure scope).
const toggleMic = (local: LocalParticipant): MeetingCommand => ({ type: 'SET_MEDIA', mic: !local.micOn })
const micOff = (): MeetingCommand => ({ type: 'SET_MEDIA', mic: false })
const micOn = (): MeetingCommand => ({ type: 'SET_MEDIA', mic: true })
const toggleWebcam = (local: LocalParticipant): MeetingCommand => ({
  type: 'SET_MEDIA',
  webcam: !local.webcamOn,
})
const webcamOff = (): MeetingCommand => ({ type: 'SET_MEDIA', webcam: false })
const webcamOn = (): MeetingCommand => ({ type: 'SET_MEDIA', webcam: true })

export function mediaControls(
  current: () => MeetingSnapshot,
  send: (command: MeetingCommand) => void,
  disposed: () => boolean,
): MediaControls {
  const set = (action: string, change: (local: LocalParticipant) => MeetingCommand): Promise<void> => {
    // Checked first, so the refusal says why: the meeting was disposed.
    if (disposed()) return Promise.reject(disposedCommandError(action))
    const now = current()
    if (now.status !== 'joined') return Promise.reject(MeetingError.notJoined(action))
    send(change(now.localParticipant))
    return Promise.resolve()
  }
  return {
    toggleMic: () => set('toggleMic', toggleMic),
    muteMic: () => set('muteMic', micOff),
    unmuteMic: () => set('unmuteMic', micOn),
    toggleWebcam: () => set('toggleWebcam', toggleWebcam),
    disableWebcam: () => set('disableWebcam', webcamOff),
    enableWebcam: () => set('enableWebcam', webcamOn),
  }
}
