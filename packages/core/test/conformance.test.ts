/**
 * The transport conformance suite (`@convene/core/conformance`) over the in-memory network, with its
 * own faults: crash, closed tab (`terminate`), network cut (`disconnect` / `reconnect`).
 */
import { describe, it, vi } from 'vitest'
import {
  type ConformanceHarness,
  conformanceScenarios,
  conformanceTests,
  simulatedFaults,
} from '../src/conformance/index.js'
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

// simulatedFaults, for harnesses of in-process participants, both ways a dead session's connections go.
for (const connections of ['silent', 'close'] as const) {
  const simulated: ConformanceHarness = {
    ...memory,
    name: `memory, faults simulated with connections '${connections}'`,
    cannot: { cutNetwork: 'not what this run is about', tokens: 'not what this run is about' },
    async start(options) {
      const world = await memory.start(options)
      const faults = simulatedFaults({ connections })
      return {
        ...world,
        transport: (id) => faults.wrap(id, world.transport(id)),
        crash: faults.crash,
        closeTab: faults.closeTab,
      }
    },
  }
  const faulty = conformanceScenarios.filter((s) => s.needs.includes('crash') || s.needs.includes('closeTab'))
  describe.concurrent(`conformance over the memory network, ${simulated.name}`, () => {
    for (const test of conformanceTests(simulated, faulty)) it(test.name, () => test.run(), 30_000)
  })
}
