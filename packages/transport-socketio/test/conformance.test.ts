/**
 * The transport conformance suite (`@convene/core/conformance`) over the Socket.IO relay: one real
 * `@convene/server` per scenario, and again two nodes sharing a real Redis with participants spread
 * over both. Each participant reaches the server through a TCP hop of its own, so a network cut is
 * real as the client sees it; a crash drops the participant's hop (its connections die, as a killed
 * process's do) and silences it, and a closed tab is simulated at the transport contract
 * (`simulatedFaults`), as the participants share this process (a real SIGKILL of a client and of a
 * node are in presence.test.ts and cluster.test.ts). Presence is the relay's (no heartbeats):
 * departures come from its grace period.
 */
import {
  type ConformanceHarness,
  type ConformanceTokenClaims,
  conformanceTests,
  simulatedFaults,
} from '@convene/core/conformance'
import { type ConveneServer, createConveneServer, generateSigningKey } from '@convene/server'
import { createSocketIOTransport } from '@convene/transport-socketio'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, inject, it, vi } from 'vitest'
import { type CuttableLink, cuttableLink } from './support/cuttableLink.js'
import { type RedisServer, startRedis } from './support/redisServer.js'

let redis: RedisServer
beforeAll(async () => {
  redis = await startRedis(inject('redisServer'))
})
afterAll(() => redis?.stop())

/** Shorter than the defaults (2.5 s, 2.5 s, 5 s), so the suite runs faster; the same mechanism. */
const RELAY = { pingIntervalMs: 500, pingTimeoutMs: 1000, recoveryMs: 3000 }

function harness(name: string, nodes: 1 | 2): ConformanceHarness {
  return {
    name,
    timing: {
      heartbeatIntervalMs: 500,
      departureTimeoutMs: 2500,
      leaveTimeoutMs: 1000,
      reconnectTimeoutMs: 10_000,
    },
    patienceMs: 20_000,
    // Presence is the relay's: a departure is told once its grace period is over, and a brief cut
    // stays well inside that period.
    quietMs: RELAY.recoveryMs + RELAY.pingIntervalMs + RELAY.pingTimeoutMs + 500,
    briefCutMs: RELAY.recoveryMs / 3,
    async start({ auth }) {
      const signingKey = auth ? await generateSigningKey() : null
      const servers: ConveneServer[] = []
      for (let i = 0; i < nodes; i++) {
        servers.push(
          await createConveneServer({
            logger: 'silent',
            relay: RELAY,
            ...(nodes > 1 ? { redis: redis.url } : {}),
            ...(signingKey ? { auth: { signingKey, authorize: () => true } } : {}),
          }),
        )
      }
      // A closed tab's connections close once its goodbye has left.
      const faults = simulatedFaults({ connections: 'close' })
      // Hops for up to eight participants, each starting on the nodes in turn: transport() is synchronous.
      const pool = await Promise.all(
        Array.from({ length: 8 }, (_, n) =>
          Promise.all(
            servers
              .map((_, i) => servers[(n + i) % nodes]!)
              .map((s) => cuttableLink({ host: s.host, port: s.port })),
          ),
        ),
      )
      const links = new Map<string, CuttableLink[]>()
      const crashed: CuttableLink[] = []
      const hopsOf = (id: string) => {
        let hops = links.get(id)
        if (!hops) {
          hops = pool.shift()
          if (!hops) throw new Error('the conformance harness has hops for eight participants only')
          links.set(id, hops)
        }
        return hops
      }
      const world = {
        transport: (id: string) =>
          faults.wrap(
            id,
            createSocketIOTransport({ url: hopsOf(id).map((link) => link.url), reconnectionDelayMaxMs: 500 }),
          ),
        // As the operating system closes a killed process's sockets: the hop drops its connections
        // (the relay sees them close, not a goodbye) and refuses new ones; the session goes silent. A
        // later session of the same participant gets hops of its own.
        async crash(id: string) {
          const hops = links.get(id) ?? []
          links.delete(id)
          crashed.push(...hops)
          await Promise.all(hops.map((link) => link.cut()))
          faults.crash(id)
        },
        closeTab: faults.closeTab,
        async cutNetwork(id: string) {
          await Promise.all((links.get(id) ?? []).map((link) => link.cut()))
        },
        async restoreNetwork(id: string) {
          await Promise.all((links.get(id) ?? []).map((link) => link.restore()))
        },
        ...(signingKey
          ? {
              tokens: {
                auth: { jwks: servers[0]!.jwksUrl! },
                // As `createToken` signs them, but with any expiry: an expired one too, which it refuses to make.
                issue: (claims: ConformanceTokenClaims) =>
                  new SignJWT({ role: claims.role, cnf: { jwk: claims.publicKey } })
                    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: signingKey.kid })
                    .setAudience(claims.meetingId)
                    .setSubject(claims.participantId)
                    .setIssuedAt()
                    .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.expiresInSeconds ?? 3600))
                    .sign(signingKey.privateKey),
              },
            }
          : {}),
        async stop() {
          for (const list of [...links.values(), ...pool, crashed])
            await Promise.all(list.map((link) => link.close()))
          await Promise.all(servers.map((s) => s.close()))
        },
      }
      return world
    },
  }
}

const run = (test: ReturnType<typeof conformanceTests>[number]) => (context: { skip(note: string): void }) =>
  test.skipped ? context.skip(test.skipped) : test.run()

describe('conformance over the Socket.IO relay', () => {
  // Intruders run without `auth`, as a modified client would; the development warning is noise here.
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  describe('one node', () => {
    for (const test of conformanceTests(harness('socketio', 1))) {
      it(test.name, run(test), 120_000)
    }
  })
  describe('two nodes and Redis', () => {
    for (const test of conformanceTests(harness('socketio-cluster', 2))) {
      it(test.name, run(test), 120_000)
    }
  })
})
