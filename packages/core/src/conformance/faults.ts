import { inRoom, type Person, type Room } from './room.js'
import { about, departedOnce, goings } from './told.js'
import type { ConformanceScenario, ConformanceWorld } from './types.js'

const plain = { auth: false }

function hook<K extends 'crash' | 'closeTab' | 'cutNetwork' | 'restoreNetwork'>(room: Room, name: K) {
  const fn = room.world[name]
  if (!fn)
    room.fail(
      `the harness does not declare it cannot do this, but its world has no ${name}(): implement it, or say why not in \`cannot\``,
    )
  return (id: string) => Promise.resolve((fn as NonNullable<ConformanceWorld[K]>).call(room.world, id))
}

export const crash: ConformanceScenario = {
  name: "crash: a participant vanishes without a goodbye; the others hear 'disconnected' once",
  needs: ['crash'],
  run: (harness) =>
    inRoom(harness, plain, async (room) => {
      const [alice, bob, carol, dave] = (await room.gather(4)) as [Person, Person, Person, Person]
      dave.ignore()
      await hook(room, 'crash')('dave')
      await departedOnce(room, [alice, bob, carol], 'dave', 'disconnected')
    }),
}

export const closedTab: ConformanceScenario = {
  name: "closed tab: the transport's terminating reads as 'left' (not 'disconnected'), once",
  needs: ['closeTab'],
  run: (harness) =>
    inRoom(harness, plain, async (room) => {
      const [alice, bob, carol, dave] = (await room.gather(4)) as [Person, Person, Person, Person]
      dave.ignore()
      await hook(room, 'closeTab')('dave')
      await departedOnce(room, [alice, bob, carol], 'dave', 'left')
    }),
}

export const duplicate: ConformanceScenario = {
  name: 'duplicate participant id: the newest session wins; the older hears meeting-left(duplicate)',
  needs: [],
  run: (harness) =>
    inRoom(harness, plain, async (room) => {
      const [alice, bob, carol] = (await room.gather(3)) as [Person, Person, Person]
      const before = [alice.told.length, carol.told.length]
      const twin = room.person('bob')
      await room.within(twin.meeting.join(), "the second bob's join()")
      const newest = twin.meeting.localParticipant.sessionId
      await room.until('the older bob steps down', () => bob.told.includes('meeting-left:duplicate'))
      await room.until('alice and carol see the newest bob', () =>
        [alice, carol].every((p) => p.meeting.participants.get('bob')?.sessionId === newest),
      )
      await room.quiet()
      room.same(goings(bob), ['meeting-left:duplicate'], 'the older bob')
      room.check(
        bob.told.at(-1) === 'meeting-left:duplicate',
        'the older bob was told nothing after meeting-left',
      )
      room.same(goings(twin), [], 'the newest bob')
      room.check(twin.meeting.meetingState === 'CONNECTED', `the newest bob is ${twin.meeting.meetingState}`)
      room.same(twin.roster(), ['alice', 'carol'], "the newest bob's roster")
      ;[alice, carol].forEach((p, i) => {
        room.same(p.roster(), [p === alice ? 'carol' : 'alice', 'bob'].sort(), `${p.id}'s roster`)
        room.check(p.meeting.participants.get('bob')?.sessionId === newest, `${p.id} sees the newest bob`)
        // Whatever the transport, the app's view of bob must end with him in: never a departure after his arrival.
        const told = about(p, 'bob', before[i])
        room.check(
          told.at(-1) !== undefined ? told.at(-1) === 'participant-joined:bob' : true,
          `${p.id} about bob: ${told}`,
        )
        room.check(
          told.filter((e) => e.startsWith('participant-left')).length <= 1,
          `${p.id} about bob: ${told}`,
        )
      })
    }),
}

export const reconnectInTime: ConformanceScenario = {
  name: 'reconnect: a session cut off and back before the departure timeout is never told gone, nor tells anyone',
  needs: ['cutNetwork'],
  run: (harness) =>
    inRoom(harness, plain, async (room) => {
      const everyone = await room.gather(3)
      const carol = everyone[2]!
      await hook(room, 'cutNetwork')('carol')
      await room.pause(harness.briefCutMs ?? room.timing.departureTimeoutMs / 2)
      await hook(room, 'restoreNetwork')('carol')
      await room.until('carol is connected again', () => carol.meeting.meetingState === 'CONNECTED')
      await room.quiet()
      for (const p of everyone) room.same(goings(p), [], `${p.id}: nobody went`)
      await room.converged(everyone)
      const states = carol.told.filter((e) => e.startsWith('state:'))
      room.check(states.at(-1) === 'state:CONNECTED', `carol's states: ${states}`)
    }),
}

export const rejoinAfterConnectionLost: ConformanceScenario = {
  name: "reconnect too late: meeting-left(connection-lost) once, the others hear 'disconnected' once; join() again is accepted",
  needs: ['cutNetwork'],
  run: (harness) =>
    inRoom(harness, plain, async (room) => {
      const alice = room.person('alice', 'host')
      const bob = room.person('bob')
      // Gives up on the network sooner than the others notice her silence twice over.
      const carol = room.person('carol', 'participant', {
        reconnectTimeoutMs: room.timing.departureTimeoutMs,
      })
      await room.join(alice, bob, carol)
      await hook(room, 'cutNetwork')('carol')
      await room.until('carol gives up on the network', () =>
        carol.told.includes('meeting-left:connection-lost'),
      )
      await departedOnce(room, [alice, bob], 'carol', 'disconnected')
      await hook(room, 'restoreNetwork')('carol')
      await room.within(carol.meeting.join(), "carol's join() after connection-lost")
      await room.converged([alice, bob, carol])
      await room.quiet()
      room.same(goings(carol), ['meeting-left:connection-lost'], 'carol')
      room.same(
        carol.told.filter((e) => e === 'meeting-joined'),
        ['meeting-joined', 'meeting-joined'],
        'carol',
      )
      for (const p of [alice, bob])
        room.same(
          about(p, 'carol'),
          ['participant-joined:carol', 'participant-left:carol:disconnected', 'participant-joined:carol'],
          `${p.id} about carol`,
        )
    }),
}

export const rejoinAfterCrash: ConformanceScenario = {
  name: 'rejoin after a crash: the same participant, in a new session at once, is accepted by everyone',
  needs: ['crash'],
  run: (harness) =>
    inRoom(harness, plain, async (room) => {
      const [alice, bob, carol] = (await room.gather(3)) as [Person, Person, Person]
      const before = [alice.told.length, bob.told.length]
      carol.ignore()
      await hook(room, 'crash')('carol')
      const again = room.person('carol')
      await room.within(again.meeting.join(), "carol's new join()")
      const session = again.meeting.localParticipant.sessionId
      await room.until('alice and bob see the new carol', () =>
        [alice, bob].every((p) => p.meeting.participants.get('carol')?.sessionId === session),
      )
      await room.quiet()
      await room.converged([alice, bob, again])
      room.same(goings(again), [], 'the new carol')
      ;[alice, bob].forEach((p, i) => {
        room.check(p.meeting.participants.get('carol')?.sessionId === session, `${p.id} sees the new carol`)
        const told = about(p, 'carol', before[i])
        // Replaced in place, announced anew, or first declared gone: never gone after the new arrival.
        const expected = [
          [],
          ['participant-joined:carol'],
          ['participant-left:carol:disconnected', 'participant-joined:carol'],
        ]
        room.check(
          expected.some((e) => e.join() === told.join()),
          `${p.id} about carol after the crash: ${JSON.stringify(told)}`,
        )
      })
    }),
}
