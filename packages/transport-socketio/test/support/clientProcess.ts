/**
 * One participant in a process of its own, for tests that kill it with SIGKILL: joins the meeting over
 * the relay and prints `joined` once in, then waits to be killed. Arguments: participant id, token URL
 * or `-` (no auth), JWKS URL or `-`, then the relay URLs in failover order.
 */
import { createMeeting } from '@convene/core'
import { createSocketIOTransport } from '@convene/transport-socketio'
import { MEETING, timing, tokenFrom } from './people.js'

const [id = 'crasher', tokenUrl = '-', jwksUrl = '-', ...urls] = process.argv.slice(2)
const meeting = createMeeting({
  meetingId: MEETING,
  participant: { id, role: 'participant' },
  transport: createSocketIOTransport({ url: urls }),
  ...timing,
  ...(tokenUrl !== '-' && jwksUrl !== '-' ? { token: tokenFrom(tokenUrl), auth: { jwks: jwksUrl } } : {}),
})
meeting.on('error', (error) => process.stderr.write(`error ${error.code}: ${error.message}\n`))
meeting.join().then(
  () => process.stdout.write('joined\n'),
  (error: unknown) => {
    process.stderr.write(`join failed: ${String(error)}\n`)
    process.exit(1)
  },
)
setInterval(() => {}, 60_000)
