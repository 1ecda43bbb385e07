/**
 * dispose() of a joined meeting over real WebRTC (node-datachannel, one process, a real PeerServer):
 * the others are told `left`. Its goodbye is delivered before the actor closes the data channels; sent
 * just before they closed, it was lost, and the others read a crash (`disconnected`) 3 s later.
 */
import './support/webrtc.js'
import type { Meeting, ParticipantLeftReason } from '@convene/core'
import type { ConveneServer } from '@convene/server'
import { afterEach, expect, it } from 'vitest'
import { waitFor } from './support/sessions.js'

const { createMeeting } = await import('@convene/core')
const { createConveneServer } = await import('@convene/server')
const { createPeerJSTransport } = await import('@convene/transport-peerjs')

let server: ConveneServer | undefined
const meetings: Meeting[] = []

afterEach(async () => {
  for (const meeting of meetings.splice(0)) meeting.dispose()
  await server?.close()
  server = undefined
})

it('a disposed participant is told to the others as left, once', async () => {
  server = await createConveneServer({ logger: 'silent' })
  const transport = createPeerJSTransport({ host: '127.0.0.1', port: Number(new URL(server.url).port) })
  const ada = createMeeting({ meetingId: 'dispose', participant: { id: 'ada', role: 'host' }, transport })
  const bob = createMeeting({ meetingId: 'dispose', participant: { id: 'bob' }, transport })
  meetings.push(ada, bob)
  const left: ParticipantLeftReason[] = []
  ada.on('participant-left', (_participant, { reason }) => left.push(reason))
  await ada.join()
  await bob.join()
  await waitFor(
    () => ada.participants.has('bob') && bob.participants.has('ada'),
    30_000,
    'ada and bob linked',
  )

  bob.dispose()
  expect(bob.getSnapshot()).toMatchObject({ status: 'ended', endReason: 'left', canEnd: false })
  await waitFor(() => left.length > 0, 10_000, 'ada told of bob')
  await waitFor(() => bob.actor.getSnapshot().status === 'stopped', 5_000, "bob's actor stopped")
  expect(left).toEqual(['left'])
})
