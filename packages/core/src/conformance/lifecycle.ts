import { inRoom, type Person } from './room.js'
import { about, departedOnce, goings } from './told.js'
import type { ConformanceScenario } from './types.js'

const plain = { auth: false }

export const join: ConformanceScenario = {
  name: 'join: five participants, four of them at once, converge on one roster; each is announced once',
  needs: [],
  run: (harness) =>
    inRoom(harness, plain, async (room) => {
      const [alice, ...rest] = ['alice', 'bob', 'carol', 'dave', 'erin'].map((id, i) =>
        room.person(id, i === 0 ? 'host' : 'participant'),
      ) as [Person, ...Person[]]
      await room.within(alice.meeting.join(), "alice's join()")
      await room.within(Promise.all(rest.map((p) => p.meeting.join())), 'four joins at once')
      const everyone = [alice, ...rest]
      await room.converged(everyone)
      await room.quiet()
      await room.converged(everyone)
      for (const p of everyone) {
        room.same(
          p.told.filter((e) => e === 'meeting-joined'),
          ['meeting-joined'],
          `${p.id}: meeting-joined`,
        )
        room.same(goings(p), [], `${p.id}: nobody went`)
        for (const other of everyone.filter((o) => o !== p)) {
          const announced = about(p, other.id)
          room.check(announced.length <= 1, `${p.id} was told of ${other.id} ${announced.length} times`)
        }
        room.check(p.meeting.meetingState === 'CONNECTED', `${p.id} is ${p.meeting.meetingState}`)
        if (p !== alice)
          room.check(p.meeting.participants.get('alice')?.role === 'host', `${p.id} sees alice as host`)
      }
      // The first one in hears of every later arrival.
      for (const p of rest)
        room.same(about(alice, p.id), [`participant-joined:${p.id}`], `alice about ${p.id}`)
    }),
}

export const leave: ConformanceScenario = {
  name: 'leave: the leaver hears meeting-left(left) at once; every other hears participant-left(left) once',
  needs: [],
  run: (harness) =>
    inRoom(harness, plain, async (room) => {
      const [alice, bob, carol, dave] = (await room.gather(4)) as [Person, Person, Person, Person]
      await room.within(bob.meeting.leave(), "bob's leave()")
      // The leaver's own experience: over by the time leave() resolves.
      room.same(goings(bob), ['meeting-left:left'], 'bob when leave() resolved')
      room.check(bob.meeting.meetingState === 'DISCONNECTED', `bob is ${bob.meeting.meetingState}`)
      room.check(bob.meeting.participants.size === 0, 'bob sees nobody once he left')
      await departedOnce(room, [alice, carol, dave], 'bob', 'left')
      room.check(bob.told.at(-1) === 'meeting-left:left', 'bob was told nothing after meeting-left')
      await room.converged([alice, carol, dave])
    }),
}

export const endByHost: ConformanceScenario = {
  name: 'end by the host: everyone hears meeting-left(ended) once, and no participant-left storm',
  needs: [],
  run: (harness) =>
    inRoom(harness, plain, async (room) => {
      const everyone = await room.gather(4)
      const [alice, ...others] = everyone as [Person, ...Person[]]
      const before = everyone.map((p) => p.told.length)
      await room.within(alice.meeting.end(), "alice's end()")
      room.same(goings(alice), ['meeting-left:ended'], 'alice when end() resolved')
      await room.until('everyone hears meeting-left(ended)', () =>
        others.every((p) => p.told.includes('meeting-left:ended')),
      )
      await room.quiet()
      everyone.forEach((p, i) => {
        room.same(goings(p, before[i]), ['meeting-left:ended'], `${p.id} after end()`)
        room.check(p.told.at(-1) === 'meeting-left:ended', `${p.id} was told nothing after meeting-left`)
        room.check(p.meeting.meetingState === 'DISCONNECTED', `${p.id} is ${p.meeting.meetingState}`)
      })
    }),
}

export const endByLast: ConformanceScenario = {
  name: 'end by the last one left, who is no host: allowed',
  needs: [],
  run: (harness) =>
    inRoom(harness, plain, async (room) => {
      const [alice, bob, carol] = (await room.gather(3)) as [Person, Person, Person]
      await room.within(alice.meeting.leave(), "alice's leave()")
      await room.within(bob.meeting.leave(), "bob's leave()")
      await room.until('carol is alone', () => carol.roster().length === 0)
      room.check(carol.meeting.getSnapshot().canEnd, 'carol, alone, may end the meeting')
      await room.within(carol.meeting.end(), "carol's end()")
      // The two goodbyes travel apart (over a mesh, on two links), so either may arrive first.
      const told = goings(carol)
      room.same(
        told.slice(0, 2).sort(),
        ['participant-left:alice:left', 'participant-left:bob:left'],
        'carol',
      )
      room.same(told.slice(2), ['meeting-left:ended'], 'carol after end()')
    }),
}

export const endNotAllowed: ConformanceScenario = {
  name: 'END_NOT_ALLOWED: a participant who is neither host nor last cannot end; nothing changes',
  needs: [],
  run: (harness) =>
    inRoom(harness, plain, async (room) => {
      const everyone = await room.gather(3)
      const carol = everyone[2]!
      const before = everyone.map((p) => p.told.length)
      room.check(!carol.meeting.getSnapshot().canEnd, 'carol may not end')
      const code = await room.rejection(carol.meeting.end(), "carol's end()")
      room.check(code === 'END_NOT_ALLOWED', `carol's end() rejected ${code}, not END_NOT_ALLOWED`)
      await room.quiet()
      everyone.forEach((p, i) => {
        room.same(p.told.slice(before[i]), [], `${p.id} after the refused end()`)
      })
      await room.converged(everyone)
      room.check(carol.meeting.meetingState === 'CONNECTED', `carol is ${carol.meeting.meetingState}`)
    }),
}

export const remove: ConformanceScenario = {
  name: 'remove: only a host may; the removed hears meeting-left(removed), the others participant-left(removed) once',
  needs: [],
  run: (harness) =>
    inRoom(harness, plain, async (room) => {
      const [alice, bob, carol, dave] = (await room.gather(4)) as [Person, Person, Person, Person]
      const refused = await room.rejection(
        bob.meeting.removeParticipant('carol'),
        "bob's removeParticipant()",
      )
      room.check(refused === 'REMOVE_NOT_ALLOWED', `bob's removeParticipant() rejected ${refused}`)
      await room.within(alice.meeting.removeParticipant('carol'), "alice's removeParticipant('carol')")
      await room.until('carol hears she was removed', () => carol.told.includes('meeting-left:removed'))
      await departedOnce(room, [alice, bob, dave], 'carol', 'removed')
      room.same(goings(carol), ['meeting-left:removed'], 'carol')
      await room.converged([alice, bob, dave])
    }),
}
