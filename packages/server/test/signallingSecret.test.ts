import { isMeetingError, type MeetingError } from '@convene/core'
import { SIGNALLING_PRESENCE_TYPE } from '@convene/core/wire'
import { type ConveneServerOptions, createConveneServer } from '@convene/server'
import { describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import { getRoom, startAuthServer } from './authSupport.js'
import { connectPeer, peerIdIn, waitFor } from './helpers.js'
import { createSessionKey, type SessionKey } from './sessionKey.js'
import {
  boundToken,
  closedAfterEach,
  connectProven,
  newSecret,
  peerIdOf,
  type SignallingOutcome,
} from './signallingSupport.js'

const { servers, sockets } = closedAfterEach()

function socketOf(outcome: SignallingOutcome, type: string): WebSocket {
  if (outcome.kind !== 'message') throw new Error(`refused with HTTP ${outcome.status}: ${outcome.body}`)
  sockets.push(outcome.socket)
  expect(outcome.type).toBe(type)
  return outcome.socket
}

/**
 * The PeerJS messages `socket` receives from now on, but presence, which comes with every registration
 * (signallingPresence.test.ts): which socket relayed messages reach is the point here.
 */
function inbox(socket: WebSocket): { type: string; src?: string }[] {
  const received: { type: string; src?: string }[] = []
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string }
    if (message.type !== SIGNALLING_PRESENCE_TYPE) received.push(message)
  })
  return received
}

describe('PeerServer keeps only the secret as the client token', () => {
  it('same secret + new token and proof = the same client (takeover, reconnect); another secret = ID-TAKEN', async () => {
    const { server } = await startAuthServer()
    servers.push(server)
    const ada = await createSessionKey()
    const adaId = peerIdOf('standup', 'ada')
    const secret = newSecret()
    const proveAda = async (key: SessionKey, withSecret: string, until?: 'open') =>
      connectProven(
        server,
        {
          peerId: adaId,
          token: await boundToken(server, key, 'standup', 'ada'),
          session: key,
          secret: withSecret,
        },
        until,
      )
    const first = socketOf(await proveAda(ada, secret), 'OPEN')
    const firstInbox = inbox(first)
    // A refreshed token and a new proof under the same secret: PeerServer moves the id onto the new
    // socket silently (what it does for the same client), where a different token would get ID-TAKEN.
    const second = socketOf(await proveAda(ada, secret, 'open'), 'upgraded')
    const secondInbox = inbox(second)

    const bob = await createSessionKey()
    const bobId = peerIdOf('standup', 'bob')
    const bobSocket = socketOf(
      await connectProven(server, {
        peerId: bobId,
        token: await boundToken(server, bob, 'standup', 'bob'),
        session: bob,
      }),
      'OPEN',
    )
    bobSocket.send(JSON.stringify({ type: 'OFFER', dst: adaId, payload: { probe: 1 } }))
    await waitFor(() => secondInbox.length > 0)
    expect(secondInbox).toEqual([expect.objectContaining({ type: 'OFFER', src: bobId })])
    expect(firstInbox).toEqual([])

    // A valid proof for the same id under another secret (another session of ada's, or a thief who
    // somehow holds her key) does not take the id while it is held.
    const other = socketOf(await proveAda(ada, newSecret()), 'ID-TAKEN')
    other.terminate()

    // Gone and back: once the held socket closes, the same secret registers again with a new proof.
    second.terminate()
    const listToken = await boundToken(server, ada, 'standup', 'ada')
    await waitFor(
      async () =>
        !(
          (await getRoom(server, 'standup', listToken, { sign: ada.sign, peerId: adaId })).body
            .peers as string[]
        ).includes(adaId),
    )
    socketOf(await proveAda(ada, secret), 'OPEN')
    expect(
      (await getRoom(server, 'standup', listToken, { sign: ada.sign, peerId: adaId })).body.peers,
    ).toContain(adaId)
  })
})

describe('signallingAuth off', () => {
  it('without auth, or with `signallingAuth: false`, any token registers as before', async () => {
    for (const options of [{}, { signallingAuth: false }] as const) {
      const started =
        'signallingAuth' in options
          ? (await startAuthServer({}, options)).server
          : await createConveneServer()
      servers.push(started)
      sockets.push(await connectPeer(started.url, peerIdIn('room')))
      sockets.push(await connectPeer(started.url, 'not-a-convene-id'))
    }
  })

  it.each<[string, ConveneServerOptions]>([
    ['signallingAuth', { signallingAuth: 'yes' as unknown as boolean }],
    ['signallingAuth', { signallingAuth: true }],
  ])('rejects a bad `%s` with INVALID_OPTION', async (option, options) => {
    const error = await createConveneServer(options).catch((e: unknown) => e)
    expect(isMeetingError(error)).toBe(true)
    expect((error as MeetingError).details.option).toBe(option)
  })
})
