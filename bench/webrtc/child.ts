/**
 * One participant in its own process (so a crash is a real SIGKILL), driven by bench/webrtc-latency.ts
 * over IPC. Every meeting event goes back with a wall-clock timestamp that agrees across processes.
 */
// Node's WebRTC and WebSocket for PeerJS, the same shim the transport's own tests use.
import '../../packages/transport-peerjs/test/support/webrtc.js'

interface Config {
  port: number
  meetingId: string
  id: string
  role: 'host' | 'participant'
}
type Command = { seq: number; cmd: 'join' | 'leave' | 'end' | 'roster' }

const config = JSON.parse(process.env.PARTICIPANT ?? '{}') as Config
const now = () => performance.timeOrigin + performance.now()
const report = (message: Record<string, unknown>) => process.send?.({ at: now(), ...message })

const { createMeeting } = await import('@convene/core')
const { createPeerJSTransport } = await import('@convene/transport-peerjs')

const warn = console.warn
console.warn = () => {} // the development-mode notice about self-declared roles
const meeting = createMeeting({
  meetingId: config.meetingId,
  participant: { id: config.id, role: config.role },
  transport: createPeerJSTransport({ port: config.port }),
})
console.warn = warn

meeting.on('meeting-joined', () => report({ event: 'meeting-joined' }))
meeting.on('meeting-left', ({ reason }) => report({ event: 'meeting-left', reason }))
meeting.on('participant-joined', (p) => report({ event: 'participant-joined', id: p.id }))
meeting.on('participant-left', (p, { reason }) => report({ event: 'participant-left', id: p.id, reason }))
meeting.on('error', (error) => report({ event: 'error', code: error.code }))

process.on('message', ({ seq, cmd }: Command) => {
  const started = now()
  const done = (result: Record<string, unknown>) => report({ reply: seq, started, ...result })
  const fail = (error: unknown) => done({ ok: false, error: String(error) })
  if (cmd === 'join') meeting.join().then(() => done({ ok: true }), fail)
  else if (cmd === 'leave') meeting.leave().then(() => done({ ok: true }), fail)
  else if (cmd === 'end') meeting.end().then(() => done({ ok: true }), fail)
  else done({ ok: true, roster: [...meeting.participants.keys()].sort(), state: meeting.meetingState })
})

report({ event: 'started' })
