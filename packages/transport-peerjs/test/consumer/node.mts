// Every public type of both entries, used from a Node-only program (checked by `npm run check:package`).
import { createMeeting } from '@convene/core'
import {
  createPeerJSTransport,
  defaultReconnectPolicy,
  type IceServer,
  type LocalMediaStream,
  type PeerJSTransportOptions,
} from '@convene/transport-peerjs/node'

const iceServers: IceServer[] = [{ urls: 'stun:stun.example.org', username: 'u', credential: 'c' }]
declare const stream: LocalMediaStream
const options: PeerJSTransportOptions = { iceServers, media: stream, reconnect: defaultReconnectPolicy }
const meeting = createMeeting({
  meetingId: 'standup',
  participant: { id: 'bot', role: 'participant' },
  transport: createPeerJSTransport({ ...options, media: { audio: true } }),
})

export { meeting }
