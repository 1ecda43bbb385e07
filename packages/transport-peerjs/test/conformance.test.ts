/**
 * The transport conformance suite (`@convene/core/conformance`) over PeerJS: real WebRTC
 * (node-datachannel) on loopback and a real `@convene/server` on 127.0.0.1 per scenario, with tokens
 * from its signing key for the token attacks. The participants share this process, so a crash and a
 * closed tab are simulated at the transport contract (`simulatedFaults`), with the dead session's
 * connections left silent and, in a second run, closed; a real SIGKILL is in meeting.test.ts.
 */
import './support/webrtc.js'
import {
  type ConformanceHarness,
  conformanceScenarios,
  conformanceTests,
  type SimulatedFaultsOptions,
  simulatedFaults,
} from '@convene/core/conformance'
import { describe, it, vi } from 'vitest'

const { createConveneServer, generateSigningKey } = await import('@convene/server')
const { createPeerJSTransport } = await import('@convene/transport-peerjs')

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url')
const json = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)))

/** An app backend's token, as `createToken` signs it, but with any expiry (an expired one too). */
async function signToken(
  key: { kid: string; privateKey: CryptoKey },
  claims: {
    meetingId: string
    participantId: string
    role: string
    publicKey: object
    expiresInSeconds?: number
  },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const payload = {
    role: claims.role,
    cnf: { jwk: claims.publicKey },
    aud: claims.meetingId,
    sub: claims.participantId,
    iat: now,
    exp: now + (claims.expiresInSeconds ?? 3600),
  }
  const signed = `${json({ alg: 'ES256', typ: 'JWT', kid: key.kid })}.${json(payload)}`
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    key.privateKey,
    new TextEncoder().encode(signed),
  )
  return `${signed}.${base64url(new Uint8Array(signature))}`
}

const harness = (connections: SimulatedFaultsOptions['connections']): ConformanceHarness => ({
  name: connections === 'close' ? "peerjs, a dead session's connections closed" : 'peerjs',
  timing: {
    heartbeatIntervalMs: 500,
    departureTimeoutMs: 2500,
    // A simulated crash leaves the dead session registered (its process lives on and pings), so the
    // server keeps listing it: 10 s of silence allowed instead of the default 30 s, within the patience.
    connectedDepartureTimeoutMs: 10_000,
    leaveTimeoutMs: 1000,
    reconnectTimeoutMs: 10_000,
  },
  patienceMs: 30_000,
  cannot: {
    cutNetwork:
      'its participants share this process and its network stack; cutting one off needs a network namespace per participant (lossy.test.ts runs its own checks that way)',
  },
  async start({ auth }) {
    const signingKey = auth ? await generateSigningKey() : null
    const server = await createConveneServer({
      host: '127.0.0.1',
      port: 0,
      logger: 'silent',
      ...(signingKey ? { auth: { signingKey, authorize: () => true } } : {}),
    })
    const faults = simulatedFaults({ connections })
    return {
      transport: (id) =>
        faults.wrap(id, createPeerJSTransport({ host: '127.0.0.1', port: server.port, reconnect: 200 })),
      crash: faults.crash,
      closeTab: faults.closeTab,
      ...(signingKey
        ? { tokens: { auth: { jwks: server.jwksUrl! }, issue: (claims) => signToken(signingKey, claims) } }
        : {}),
      stop: () => server.close(),
    }
  },
})

describe('conformance over PeerJS and a real server', () => {
  // Intruders run without `auth`, as a modified client would; the development warning is noise here.
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  for (const test of conformanceTests(harness('silent'))) {
    it(test.name, (context) => (test.skipped ? context.skip(test.skipped) : test.run()), 180_000)
  }
})

// The same crash and closed tab with the dead session's peer connections closed at once (as the OS
// closes a killed process's sockets): link-down comes first, and must still be no departure by itself.
describe("conformance over PeerJS, a dead session's connections closed", () => {
  const faulty = conformanceScenarios.filter((s) => s.needs.includes('crash') || s.needs.includes('closeTab'))
  const closing = harness('close')
  for (const test of conformanceTests(closing, faulty)) {
    it(test.name, (context) => (test.skipped ? context.skip(test.skipped) : test.run()), 180_000)
  }
})
