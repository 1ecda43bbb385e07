/**
 * One participant in its own process, driven over IPC by test/support/participants.ts.
 * Run with `fork(thisFile, { execArgv: ['--import', 'tsx'] })`; config comes in PARTICIPANT (JSON).
 */
import './webrtc.js'

interface Config {
  port: number
  meetingId: string
  id: string
  role: 'host' | 'participant'
  heartbeatIntervalMs?: number
  departureTimeoutMs?: number
}

type Command = { seq: number; cmd: 'join' | 'leave' | 'end' | 'roster' }

const config = JSON.parse(process.env.PARTICIPANT ?? '{}') as Config
const report = (message: Record<string, unknown>) => process.send?.({ at: Date.now(), ...message })

// Sources, not builds: the children run the same code the tests import.
const { createMeeting, isMeetingError } = await import('../../../core/src/index.js')
const { createPeerJSTransport } = await import('../../src/index.js')

const meeting = createMeeting({
  meetingId: config.meetingId,
  participant: { id: config.id, name: config.id, role: config.role },
  transport: createPeerJSTransport({ port: config.port }),
  ...(config.heartbeatIntervalMs ? { heartbeatIntervalMs: config.heartbeatIntervalMs } : {}),
  ...(config.departureTimeoutMs ? { departureTimeoutMs: config.departureTimeoutMs } : {}),
})

meeting.on('meeting-joined', () => report({ event: 'meeting-joined' }))
meeting.on('meeting-left', ({ reason }) => report({ event: 'meeting-left', reason }))
meeting.on('participant-joined', (p) =>
  report({ event: 'participant-joined', id: p.id, session: p.sessionId }),
)
meeting.on('participant-left', (p, { reason }) => report({ event: 'participant-left', id: p.id, reason }))
meeting.on('meeting-state-changed', ({ state }) => report({ event: 'meeting-state-changed', state }))
meeting.on('error', (error) => report({ event: 'error', code: error.code, message: error.message }))

const roster = () => [...meeting.participants.keys()].sort()

process.on('message', (message: Command) => {
  const { seq, cmd } = message
  const started = Date.now()
  const done = (result: Record<string, unknown>) => report({ reply: seq, started, ...result })
  const fail = (error: unknown) =>
    done({ ok: false, code: isMeetingError(error) ? error.code : String(error) })
  switch (cmd) {
    case 'join':
      meeting.join().then(() => done({ ok: true, roster: roster() }), fail)
      break
    case 'leave':
      meeting.leave().then(() => done({ ok: true }), fail)
      break
    case 'end':
      meeting.end().then(() => done({ ok: true }), fail)
      break
    case 'roster':
      done({ ok: true, roster: roster(), state: meeting.meetingState })
      break
  }
})

report({ event: 'started' })
