// A Node program (no DOM lib): the stream is core's structural MediaStreamLike, and compiles as is.
import type { MediaStreamLike, MeetingMediaStream, Participant } from '@convene/core'
import type { Equal } from './equal.js'

export const streamIsStructural: Equal<Participant['stream'], MediaStreamLike | null> = true
export const aliasIsStructural: Equal<MeetingMediaStream, MediaStreamLike> = true

export function stopAll(participant: Participant): number {
  for (const track of participant.stream?.getTracks() ?? []) track.stop()
  return participant.stream?.getTracks().length ?? 0
}

// @ts-expect-error: no DOM lib here, so no MediaStream either.
export type NotHere = MediaStream

// The conformance entry, as a transport author's test imports it.
import { type ConformanceHarness, conformanceTests, simulatedFaults } from '@convene/core/conformance'

export function plan(harness: ConformanceHarness): string[] {
  simulatedFaults()
  return conformanceTests(harness).map((test) => (test.skipped ? `${test.name} (skipped)` : test.name))
}
