import { PROTOCOL_VERSION } from '../protocol.js'
import type { Transport, TransportSession } from '../transport.js'
import { inRoom, type Person, type Room } from './room.js'
import { honestRoom, tokensOf } from './tokens.js'
import type { ConformanceScenario } from './types.js'

/** A participant's transport through which the scenario may also send, as a modified client would. */
function mouthpiece(room: Room, id: string): { transport: Transport; say(message: object): void } {
  const inner = room.world.transport(id)
  let session: TransportSession | null = null
  return {
    transport: {
      name: inner.name,
      ...(inner.presence ? { presence: inner.presence } : {}),
      ...(inner.identity ? { identity: inner.identity } : {}),
      session(options) {
        session = inner.session(options)
        return session
      },
    },
    say(message) {
      if (!session) room.fail(`${id} has no session to send from`)
      session.send(message as Parameters<TransportSession['send']>[0])
    },
  }
}

/**
 * Bob sends an END and a REMOVE (of alice) to everyone, as `origin` says. Every other participant must
 * report UNAUTHORIZED_COMMAND and change nothing: nobody leaves, nobody is removed.
 */
async function refusedCommands(
  room: Room,
  everyone: Person[],
  bob: { say(m: object): void },
  origin: string,
) {
  const [alice, , carol] = everyone as [Person, Person, Person]
  const before = everyone.map((p) => p.told.length)
  const sessions = everyone.map((p) => p.meeting.localParticipant.sessionId)
  const session = sessions[1]!
  for (const p of [alice, carol]) p.allow((error) => error.code === 'UNAUTHORIZED_COMMAND')
  bob.say({ v: PROTOCOL_VERSION, type: 'end', session, seq: 1_000_000, origin })
  bob.say({ v: PROTOCOL_VERSION, type: 'remove', session, seq: 1_000_001, origin, target: 'alice' })
  const refusedBoth = (p: Person, i: number) =>
    p.told.slice(before[i]).filter((e) => e === 'error:UNAUTHORIZED_COMMAND').length >= 2
  await room.until('alice and carol refuse the END and the REMOVE', () =>
    [alice, carol].every((p) => refusedBoth(p, everyone.indexOf(p))),
  )
  await room.quiet()
  everyone.forEach((p, i) => {
    const told = p.told.slice(before[i]).filter((e) => !e.startsWith('error:'))
    room.same(told, [], `${p.id} after the forged commands`)
    room.check(p.meeting.meetingState === 'CONNECTED', `${p.id} is ${p.meeting.meetingState}`)
    room.check(p.meeting.localParticipant.sessionId === sessions[i], `${p.id} kept its session`)
  })
  await room.converged(everyone)
}

export const commandsFromNonHost: ConformanceScenario = {
  name: "a non-host's END and REMOVE sent over the transport: refused with UNAUTHORIZED_COMMAND; nothing changes",
  needs: [],
  run: (harness) =>
    inRoom(harness, { auth: false }, async (room) => {
      const bob = mouthpiece(room, 'bob')
      const everyone = [
        room.person('alice', 'host'),
        room.person('bob', 'participant', { transport: bob.transport }),
        room.person('carol'),
      ]
      await room.join(...everyone)
      await refusedCommands(room, everyone, bob, everyone[1]!.meeting.localParticipant.sessionId)
    }),
}

export const commandsInHostsName: ConformanceScenario = {
  name: "token attack, an END and a REMOVE in the host's name from a verified participant: refused; nothing changes",
  needs: ['tokens'],
  run: (harness) =>
    inRoom(harness, { auth: true }, async (room) => {
      const bob = mouthpiece(room, 'bob')
      const everyone = await honestRoom(room, tokensOf(room), { bob: { transport: bob.transport } })
      await refusedCommands(room, everyone, bob, everyone[0]!.meeting.localParticipant.sessionId)
    }),
}
