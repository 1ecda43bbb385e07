import { meetingKey, meetingKeyOfPeerId, parsePeerId } from '@convene/server'
import { describe, expect, it } from 'vitest'

const hex = meetingKey

describe('parsePeerId', () => {
  it('decodes the three parts of a Convene peer id, any UTF-8 included', () => {
    const id = `cv-${hex('réunion ✓/1?')}-${hex('ada-😀')}-${hex('s-1')}`
    expect(parsePeerId(id)).toEqual({ meetingId: 'réunion ✓/1?', participantId: 'ada-😀', sessionId: 's-1' })
    expect(meetingKeyOfPeerId(id)).toBe(hex('réunion ✓/1?'))
  })

  it.each([
    'someone',
    `cv-${hex('m')}-${hex('p')}`,
    `cv-${hex('m')}-${hex('p')}-${hex('s')}-${hex('x')}`,
    `cv--${hex('p')}-${hex('s')}`,
    `cv-${hex('m').toUpperCase()}-${hex('p')}-${hex('s')}`,
    `cv-6-${hex('p')}-${hex('s')}`,
    // Not UTF-8: a lone continuation byte, an overlong encoding.
    `cv-80-${hex('p')}-${hex('s')}`,
    `cv-${hex('m')}-c0af-${hex('s')}`,
    ` cv-${hex('m')}-${hex('p')}-${hex('s')}`,
  ])('refuses %s', (id) => {
    expect(parsePeerId(id)).toBeNull()
  })
})
