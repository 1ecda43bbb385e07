/**
 * `@convene/core/conformance`: the lifecycle scenarios every transport must pass, written once against
 * the transport contract and the public API. Runner-agnostic: no test framework is imported here.
 */
import { commandsFromNonHost, commandsInHostsName } from './commands.js'
import {
  closedTab,
  crash,
  duplicate,
  reconnectInTime,
  rejoinAfterConnectionLost,
  rejoinAfterCrash,
} from './faults.js'
import { endByHost, endByLast, endNotAllowed, join, leave, remove } from './lifecycle.js'
import { expiredToken, forgedToken, otherMeetingToken, spoofedId } from './tokens.js'
import type { ConformanceHarness, ConformanceScenario, ConformanceTest } from './types.js'

export { ConformanceFailure } from './room.js'
export type { SimulatedFaults, SimulatedFaultsOptions } from './simulatedFaults.js'
export { simulatedFaults } from './simulatedFaults.js'
export type {
  ConformanceCapability,
  ConformanceHarness,
  ConformanceScenario,
  ConformanceTest,
  ConformanceTiming,
  ConformanceTokenClaims,
  ConformanceTokens,
  ConformanceWorld,
} from './types.js'

/** Every scenario, in the order a report reads best. */
export const conformanceScenarios: readonly ConformanceScenario[] = [
  join,
  leave,
  endByHost,
  endByLast,
  endNotAllowed,
  remove,
  commandsFromNonHost,
  crash,
  closedTab,
  duplicate,
  reconnectInTime,
  rejoinAfterConnectionLost,
  rejoinAfterCrash,
  forgedToken,
  otherMeetingToken,
  expiredToken,
  spoofedId,
  commandsInHostsName,
]

/**
 * The scenarios bound to `harness`, for any test runner: each runs, or is reported skipped with the
 * harness's own reason when it needs something the harness `cannot` do.
 */
export function conformanceTests(
  harness: ConformanceHarness,
  scenarios: readonly ConformanceScenario[] = conformanceScenarios,
): ConformanceTest[] {
  return scenarios.map((scenario) => {
    const missing = scenario.needs.find((need) => harness.cannot?.[need] !== undefined)
    return {
      name: scenario.name,
      skipped:
        missing === undefined ? null : `${harness.name} cannot ${missing}: ${harness.cannot?.[missing]}`,
      run: () => scenario.run(harness),
    }
  })
}
