import type { CreateMeetingOptions, TokenProviderRequest } from '../types.js'
import { inRoom, type Person, type Room } from './room.js'
import { goings } from './told.js'
import type { ConformanceScenario, ConformanceTokenClaims, ConformanceTokens } from './types.js'

const withAuth = { auth: true }

export function tokensOf(room: Room): ConformanceTokens {
  const tokens = room.world.tokens
  if (!tokens) room.fail('the world was started with `auth: true` but has no `tokens`')
  return tokens
}

/** Alice (host), Bob and Carol with tokens from the app backend, verifying each other's. */
export async function honestRoom(
  room: Room,
  tokens: ConformanceTokens,
  extra: Record<string, Partial<CreateMeetingOptions>> = {},
): Promise<Person[]> {
  const honest = (['alice', 'bob', 'carol'] as const).map((id, i) =>
    room.person(id, i === 0 ? 'host' : 'participant', {
      auth: tokens.auth,
      token: (request: TokenProviderRequest) => tokens.issue(request),
      ...extra[id],
    }),
  )
  // A refused intruder is reported by whoever it reached; nothing else is expected.
  for (const p of honest) p.allow((error) => error.code === 'AUTH_FAILED')
  await room.join(...honest)
  return honest
}

const encode = (json: unknown) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(json))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
const decode = (part: string) =>
  JSON.parse(
    new TextDecoder().decode(
      Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
    ),
  ) as Record<string, unknown>

/** The same token with `changes` written into its claims and the signature kept: a forgery. */
function tamper(token: string, changes: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.') as [string, string, string]
  return [header, encode({ ...decode(payload), ...changes }), signature].join('.')
}

interface Attack {
  what: string
  /** The participant id the intruder claims. */
  claims: string
  role: 'host' | 'participant'
  token(tokens: ConformanceTokens, request: TokenProviderRequest, meetingId: string): Promise<string>
}

/**
 * An intruder (a modified client: no `auth` of its own, so it checks nothing) joins with a bad token
 * bound to its own session key. It must be refused with AUTH_FAILED (its own join, by the transport's
 * server, or each honest participant, on its hello), and the honest rosters must not change.
 */
function tokenAttack(attack: Attack): ConformanceScenario {
  return {
    name: `token attack, ${attack.what}: refused with AUTH_FAILED; honest rosters unchanged`,
    needs: ['tokens'],
    run: (harness) =>
      inRoom(harness, withAuth, async (room) => {
        const tokens = tokensOf(room)
        const honest = await honestRoom(room, tokens)
        const before = honest.map((p) => p.told.length)
        const sessions = honest.map((p) => p.meeting.localParticipant.sessionId)
        const intruder = room.person(attack.claims, attack.role, {
          token: (request) => attack.token(tokens, request, room.meetingId),
        })
        intruder.ignore()
        let refusedAtJoin: string | null = null
        await intruder.meeting.join().then(
          () => {},
          (error: { code?: string }) => {
            refusedAtJoin = String(error?.code)
          },
        )
        room.check(
          refusedAtJoin === null || refusedAtJoin === 'AUTH_FAILED',
          `the intruder's join() rejected ${refusedAtJoin}, not AUTH_FAILED`,
        )
        const reported = (p: Person, i: number) => p.told.slice(before[i]).includes('error:AUTH_FAILED')
        await room.until(
          'the intruder is refused with AUTH_FAILED',
          () => refusedAtJoin !== null || honest.every(reported),
        )
        await room.quiet()
        honest.forEach((p, i) => {
          const told = p.told.slice(before[i]).filter((e) => !e.startsWith('error:'))
          room.same(told, [], `${p.id} after the attack (${attack.what})`)
          room.same(goings(p), [], `${p.id}: nobody went`)
          room.check(p.meeting.meetingState === 'CONNECTED', `${p.id} is ${p.meeting.meetingState}`)
          room.check(p.meeting.localParticipant.sessionId === sessions[i], `${p.id} kept its session`)
        })
        await room.converged(honest)
        for (const p of honest)
          for (const [j, other] of honest.entries())
            if (other !== p)
              room.check(
                p.meeting.participants.get(other.id)?.sessionId === sessions[j],
                `${p.id} sees the honest ${other.id}`,
              )
      }),
  }
}

const issue = (tokens: ConformanceTokens, claims: ConformanceTokenClaims) => tokens.issue(claims)

export const forgedToken = tokenAttack({
  what: 'a forged token (role rewritten to host, signature kept)',
  claims: 'mallory',
  role: 'host',
  token: async (tokens, request, meetingId) =>
    tamper(await issue(tokens, { ...request, meetingId, role: 'participant' }), { role: 'host' }),
})

export const otherMeetingToken = tokenAttack({
  what: "another meeting's token",
  claims: 'mallory',
  role: 'participant',
  token: (tokens, request, meetingId) => issue(tokens, { ...request, meetingId: `${meetingId}-other` }),
})

export const expiredToken = tokenAttack({
  what: 'an expired token',
  claims: 'mallory',
  role: 'participant',
  token: (tokens, request) => issue(tokens, { ...request, expiresInSeconds: -120 }),
})

export const spoofedId = tokenAttack({
  what: "someone else's id (bob's) with one's own valid token",
  claims: 'bob',
  role: 'participant',
  token: (tokens, request) => issue(tokens, { ...request, participantId: 'mallory' }),
})
