/**
 * The transport conformance suite (`@convene/core/conformance`) over the in-memory network, with its
 * own faults: crash, closed tab (`terminate`), network cut (`disconnect` / `reconnect`).
 */
import { describe, it, vi } from 'vitest'
import { type ConformanceHarness, conformanceTests } from '../src/conformance/index.js'
import { createMemoryNetwork } from '../src/index.js'
import { createTestIssuer } from './support/tokens.js'

const memory: ConformanceHarness = {
  name: 'memory',
  // Short, so the suite is quick; still far above a message's trip through one process.
  timing: {
    heartbeatIntervalMs: 100,
    departureTimeoutMs: 800,
    leaveTimeoutMs: 500,
    reconnectTimeoutMs: 3000,
  },
  patienceMs: 10_000,
  async start() {
    const network = createMemoryNetwork()
    const issuer = await createTestIssuer()
    return {
      transport: () => network.transport(),
      crash: (id) => void network.crash(id),
      closeTab: (id) => void network.terminate(id),
      cutNetwork: (id) => void network.disconnect(id),
      restoreNetwork: (id) => void network.reconnect(id),
      tokens: {
        auth: { jwks: issuer.jwks },
        issue: ({ expiresInSeconds = 3600, ...claims }) =>
          issuer.token({ ...claims, expiresIn: Math.floor(Date.now() / 1000) + expiresInSeconds }),
      },
      stop: () => {},
    }
  },
}

describe.concurrent('conformance over the memory network', () => {
  // Intruders run without `auth`, as a modified client would; the development warning is noise here.
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  for (const test of conformanceTests(memory)) {
    it(test.name, (context) => (test.skipped ? context.skip(test.skipped) : test.run()), 30_000)
  }
})
