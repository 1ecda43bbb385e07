import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type Meeting, MeetingError, type Participant, PROTOCOL_VERSION } from '../src/index.js'
import { internalContext } from './support/internals.js'
import { rejection } from './support/rejection.js'
import { createWorld, type Person } from './support/world.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** Every `participant-media-changed` a person hears, as `id:mic/webcam`. */
function watchMedia(person: Person): string[] {
  const heard: string[] = []
  person.meeting.on('participant-media-changed', (p: Participant) =>
    heard.push(`${p.id}:${p.micOn ? 'mic' : 'muted'}/${p.webcamOn ? 'cam' : 'nocam'}`),
  )
  return heard
}

const seen = (observer: Meeting, id: string) => {
  const p = observer.participants.get(id)
  return p && `${p.micOn ? 'mic' : 'muted'}/${p.webcamOn ? 'cam' : 'nocam'}`
}

async function fiveInTheRoom() {
  const world = createWorld()
  const names = ['alice', 'bob', 'carol', 'dave', 'erin'] as const
  const people = names.map((id, i) => world.person(id, i === 0 ? 'host' : 'participant'))
  await world.joinAll(...people)
  const heard = people.map(watchMedia)
  return { world, people, heard }
}

describe('microphone and camera toggles', () => {
  it('everyone starts with mic and camera on, locally and remotely', async () => {
    const { people } = await fiveInTheRoom()
    for (const person of people) {
      expect(person.meeting.localParticipant).toMatchObject({ micOn: true, webcamOn: true })
      for (const other of people) {
        if (other !== person) expect(seen(person.meeting, other.meeting.localParticipant.id)).toBe('mic/cam')
      }
    }
  })

  it('each of 4 others is told exactly once per change, with the updated participant', async () => {
    const { world, people, heard } = await fiveInTheRoom()
    const [alice, bob] = people as [Person, Person]
    const snapshots: boolean[] = []
    alice.meeting.subscribe(() => snapshots.push(alice.meeting.localParticipant.micOn))
    await alice.meeting.toggleMic()
    expect(alice.meeting.localParticipant.micOn).toBe(false)
    expect(snapshots).toEqual([false])
    await world.advance(50)
    await bob.meeting.disableWebcam()
    await world.advance(50)
    await alice.meeting.toggleMic()
    await world.advance(50)
    // Already off: nobody is told anything again.
    await bob.meeting.disableWebcam()
    await world.advance(50)
    expect(heard[0]).toEqual(['bob:mic/nocam'])
    expect(heard[1]).toEqual(['alice:muted/cam', 'alice:mic/cam'])
    for (const other of heard.slice(2)) {
      expect(other).toEqual(['alice:muted/cam', 'bob:mic/nocam', 'alice:mic/cam'])
    }
    for (const person of people.slice(2)) {
      expect(seen(person.meeting, 'alice')).toBe('mic/cam')
      expect(seen(person.meeting, 'bob')).toBe('mic/nocam')
    }
    // No one heard an error or any other event for it.
    for (const person of people) expect(person.told.filter((t) => t.startsWith('error'))).toEqual([])
    // The local participant is a new object only when something of it changed.
    const before = bob.meeting.localParticipant
    await world.advance(3000)
    expect(bob.meeting.localParticipant).toBe(before)
  })

  it('two quick toggles cancel out, and each is told in order', async () => {
    const { world, people, heard } = await fiveInTheRoom()
    const erin = people[4] as Person
    await Promise.all([erin.meeting.toggleWebcam(), erin.meeting.toggleWebcam()])
    await world.advance(50)
    expect(erin.meeting.localParticipant.webcamOn).toBe(true)
    for (const other of heard.slice(0, 4)) expect(other).toEqual(['erin:mic/nocam', 'erin:mic/cam'])
  })

  it('a late joiner sees the current state without being told of it', async () => {
    const { world, people, heard } = await fiveInTheRoom()
    const [alice, bob, carol] = people as [Person, Person, Person]
    await alice.meeting.muteMic()
    await bob.meeting.disableWebcam()
    await carol.meeting.muteMic()
    await carol.meeting.disableWebcam()
    await world.advance(50)
    const frank = world.person('frank')
    const frankHeard = watchMedia(frank)
    await world.joinAll(frank)
    expect(seen(frank.meeting, 'alice')).toBe('muted/cam')
    expect(seen(frank.meeting, 'bob')).toBe('mic/nocam')
    expect(seen(frank.meeting, 'carol')).toBe('muted/nocam')
    expect(seen(frank.meeting, 'dave')).toBe('mic/cam')
    expect(frankHeard).toEqual([])
    // And the ones inside see the newcomer as it is.
    await frank.meeting.muteMic()
    await world.advance(50)
    expect(frankHeard).toEqual([])
    for (const other of heard) expect(other.filter((h) => h.startsWith('frank'))).toEqual(['frank:muted/cam'])
  })

  it('a change heard while joining updates the roster silently', async () => {
    const { world, people } = await fiveInTheRoom()
    const alice = people[0] as Person
    // Erin never greets Frank, so Frank's join waits (greeting) while Alice mutes.
    world.network.partition(['frank'], ['erin'])
    const frank = world.person('frank')
    const frankHeard = watchMedia(frank)
    const joining = frank.meeting.join()
    await world.advance(50)
    expect(frank.meeting.getSnapshot().status).toBe('joining')
    await alice.meeting.muteMic()
    await world.advance(50)
    expect(frank.meeting.getSnapshot().status).toBe('joining')
    await world.advance(3000)
    await joining
    expect(seen(frank.meeting, 'alice')).toBe('muted/cam')
    expect(frankHeard).toEqual([])
  })

  it('rejects NOT_JOINED before join, while joining and after leaving, and changes nothing', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    await world.joinAll(alice)
    const heard = watchMedia(alice)
    for (const action of [
      'toggleMic',
      'muteMic',
      'unmuteMic',
      'toggleWebcam',
      'disableWebcam',
      'enableWebcam',
    ] as const) {
      const error = await rejection(bob.meeting[action]())
      expect(error).toBeInstanceOf(MeetingError)
      expect(error.code).toBe('NOT_JOINED')
      expect(error.message).toContain(`${action}()`)
    }
    const joining = bob.meeting.join()
    expect((await rejection(bob.meeting.muteMic())).code).toBe('NOT_JOINED')
    await world.advance(50)
    await joining
    await world.advance(50)
    expect(bob.meeting.localParticipant.micOn).toBe(true)
    expect(seen(alice.meeting, 'bob')).toBe('mic/cam')
    const left = bob.meeting.leave()
    await world.advance(3000)
    await left
    expect((await rejection(bob.meeting.toggleWebcam())).code).toBe('NOT_JOINED')
    await world.advance(3000)
    expect(heard).toEqual([])
  })

  it('nothing reaches a participant after its meeting-left', async () => {
    const { world, people } = await fiveInTheRoom()
    const [alice, bob] = people as [Person, Person]
    const after: string[] = []
    bob.meeting.on('meeting-left', () => bob.meeting.on('participant-media-changed', (p) => after.push(p.id)))
    const left = bob.meeting.leave()
    await alice.meeting.muteMic()
    await world.advance(3000)
    await left
    await alice.meeting.unmuteMic()
    await world.advance(3000)
    expect(after).toEqual([])
    expect(bob.told.at(-1)).toBe('meeting-left:left')
  })

  it('a bad MEDIA message is refused as INVALID_MESSAGE and changes nothing', async () => {
    const { world, people, heard } = await fiveInTheRoom()
    const alice = people[0] as Person
    const bobSession = people[1]?.meeting.localParticipant.sessionId as string
    const bad: unknown[] = [
      { v: PROTOCOL_VERSION, session: bobSession, seq: 10_000, type: 'media', mic: 'no', webcam: true },
      { v: PROTOCOL_VERSION, session: bobSession, seq: 10_001, type: 'media', mic: false },
      { v: PROTOCOL_VERSION, session: bobSession, seq: 10_002, type: 'media', mic: 0, webcam: 0 },
    ]
    const before = alice.meeting.participants
    for (const data of bad) world.network.inject(alice.meeting.localParticipant.sessionId, data, bobSession)
    await world.advance(10)
    expect(alice.told.slice(-3)).toEqual([
      'error:INVALID_MESSAGE',
      'error:INVALID_MESSAGE',
      'error:INVALID_MESSAGE',
    ])
    expect(alice.meeting.participants).toBe(before)
    expect(seen(alice.meeting, 'bob')).toBe('mic/cam')
    expect(heard[0]).toEqual([])
  })

  it('a duplicated or overtaken MEDIA message changes nothing', async () => {
    const { world, people, heard } = await fiveInTheRoom()
    const alice = people[0] as Person
    const bob = people[1] as Person
    await bob.meeting.muteMic()
    const mute = internalContext(bob.meeting).session.seq - 1
    await world.advance(50)
    const bobSession = bob.meeting.localParticipant.sessionId
    const aliceSession = alice.meeting.localParticipant.sessionId
    // A stale copy from before the mute (a lower seq) arrives late, and a copy of the mute arrives again.
    for (const [seq, mic] of [
      [1, true],
      [mute, false],
    ] as const) {
      world.network.inject(
        aliceSession,
        { v: PROTOCOL_VERSION, session: bobSession, seq, type: 'media', mic, webcam: true },
        bobSession,
      )
    }
    await world.advance(10)
    expect(seen(alice.meeting, 'bob')).toBe('muted/cam')
    expect(heard[0]).toEqual(['bob:muted/cam'])
  })

  it('tells the transport which tracks to send, both flags every time', async () => {
    const world = createWorld()
    const calls: Array<{ mic: boolean; webcam: boolean }> = []
    const inner = world.network.transport()
    const transport = {
      name: 'recording',
      session: (options: Parameters<typeof inner.session>[0]) => ({
        ...inner.session(options),
        setLocalMedia: (media: { mic: boolean; webcam: boolean }) => {
          calls.push(media)
        },
      }),
    }
    const alice = world.person('alice', 'host', { transport })
    await world.joinAll(alice)
    await alice.meeting.toggleWebcam()
    await alice.meeting.muteMic()
    await alice.meeting.muteMic()
    await alice.meeting.toggleWebcam()
    expect(calls).toEqual([
      { mic: true, webcam: false },
      { mic: false, webcam: false },
      { mic: false, webcam: true },
    ])
  })

  it('a transport that fails to switch a track is reported, and the others are told anyway', async () => {
    const world = createWorld()
    const inner = world.network.transport()
    const transport = {
      name: 'failing',
      session: (options: Parameters<typeof inner.session>[0]) => ({
        ...inner.session(options),
        setLocalMedia: () => Promise.reject(new Error('camera busy')),
      }),
    }
    const alice = world.person('alice', 'host', { transport })
    const bob = world.person('bob')
    await world.joinAll(alice, bob)
    const heard = watchMedia(bob)
    await alice.meeting.disableWebcam()
    await world.advance(50)
    expect(alice.told.at(-1)).toBe('error:TRANSPORT_ERROR')
    expect(heard).toEqual(['alice:mic/nocam'])
  })

  it('the memory network mutes the stand-in microphone and stops the stand-in camera', async () => {
    const world = createWorld({ localMedia: true })
    const alice = world.person('alice', 'host')
    await world.joinAll(alice)
    const stream = alice.meeting.getSnapshot().localStream as unknown as {
      getTracks(): Array<{ kind: string; enabled: boolean; readyState: string }>
    }
    const [audio, video] = stream.getTracks()
    await alice.meeting.muteMic()
    await alice.meeting.disableWebcam()
    expect(audio).toMatchObject({ kind: 'audio', enabled: false, readyState: 'live' })
    expect(video).toMatchObject({ kind: 'video', readyState: 'ended' })
    expect(stream.getTracks().map((t) => t.kind)).toEqual(['audio'])
    await alice.meeting.toggleMic()
    await alice.meeting.toggleWebcam()
    expect(audio?.enabled).toBe(true)
    expect(stream.getTracks().map((t) => `${t.kind}:${t.readyState}`)).toEqual(['audio:live', 'video:live'])
    const left = alice.meeting.leave()
    await world.advance(3000)
    await left
    expect(stream.getTracks().map((t) => t.readyState)).toEqual(['ended', 'ended'])
  })
})
