import type { Transport } from '../transport.js'
import type { CreateMeetingOptions, MeetingAuth, ParticipantRole, PublicJwk } from '../types.js'

/**
 * What a scenario may need beyond plain meetings. A harness that cannot do one says why in
 * {@link ConformanceHarness.cannot}, and every scenario needing it is reported skipped with that reason.
 *
 * - `crash`: a participant vanishes without a goodbye (a killed process, a frozen tab).
 * - `closeTab`: a participant's page goes away: its transport emits `terminating`, then nothing more.
 * - `cutNetwork`: a participant's network is cut, and later restored.
 * - `tokens`: honest participants use `token` and `auth`; an app backend issues tokens on demand.
 */
export type ConformanceCapability = 'crash' | 'closeTab' | 'cutNetwork' | 'tokens'

/** The meeting timings every participant of the suite gets (see `CreateMeetingOptions` for each default). */
export type ConformanceTiming = Pick<
  CreateMeetingOptions,
  | 'heartbeatIntervalMs'
  | 'departureTimeoutMs'
  | 'connectedDepartureTimeoutMs'
  | 'joinTimeoutMs'
  | 'leaveTimeoutMs'
  | 'reconnectTimeoutMs'
>

/** The claims of a token the suite asks a {@link ConformanceTokens} issuer for. */
export interface ConformanceTokenClaims {
  /** The meeting the token is for (its audience, `aud`); another meeting's for one attack. */
  meetingId: string
  /** The participant the token is for (its subject, `sub`). */
  participantId: string
  /** The role it grants; `'host'` for the attacks that claim it. */
  role: ParticipantRole
  /** The session key to bind the token to (its `cnf.jwk`). */
  publicKey: PublicJwk
  /** Seconds from now until it expires; negative for a token that expired that long ago. Defaults to `3600`. */
  expiresInSeconds?: number
}

/** An app backend, as far as the token scenarios need one. */
export interface ConformanceTokens {
  /** The `auth` option honest participants verify each other's tokens with. */
  readonly auth: MeetingAuth
  /** Signs a token as the app's backend would (`@convene/server`'s `createToken`, say), for any claims. */
  issue(claims: ConformanceTokenClaims): Promise<string>
}

/** What one scenario runs on: a fresh network (and servers), started by {@link ConformanceHarness.start}. */
export interface ConformanceWorld {
  /** A transport for one participant's meeting; called once for every meeting the scenario creates. */
  transport(participantId: string): Transport
  /** Makes every session of this participant open now vanish without a goodbye. Needed for `crash`: a harness without it says why in `cannot.crash`. */
  crash?(participantId: string): void | Promise<void>
  /** Closes the page of every session of this participant open now (`terminating`, then gone). Needed for `closeTab`: a harness without it says why in `cannot.closeTab`. */
  closeTab?(participantId: string): void | Promise<void>
  /** Cuts this participant's sessions off the network; nobody else is told. Needed for `cutNetwork`: a harness without it says why in `cannot.cutNetwork`. */
  cutNetwork?(participantId: string): void | Promise<void>
  /** Puts this participant's sessions back on the network. Needed for `cutNetwork`: a harness without it says why in `cannot.cutNetwork`. */
  restoreNetwork?(participantId: string): void | Promise<void>
  /** The app backend; needed for `tokens`, and only asked for when the world was started with `auth`: a harness without it says why in `cannot.tokens`. */
  readonly tokens?: ConformanceTokens
  /** Stops everything the world started; called once, after the scenario's meetings are disposed. */
  stop(): void | Promise<void>
}

/** What a transport author implements to run the conformance scenarios over their transport. */
export interface ConformanceHarness {
  /** The transport's name, for failure messages. */
  readonly name: string
  /** Timings for every participant; shorter ones make the suite faster. Defaults to core's defaults. */
  readonly timing?: ConformanceTiming
  /**
   * The longest the suite waits for something that must happen (a join, a goodbye, a departure past
   * the departure timeout). Defaults to `20000` ms. A patience, not a speed goal: nothing is timed.
   */
  readonly patienceMs?: number
  /**
   * How long to wait for a spurious or repeated announcement to show up before checking there was none.
   * Defaults to the departure timeout, two heartbeat intervals and 500 ms. A transport that decides
   * presence itself (a server's grace period) needs at least that period here.
   */
  readonly quietMs?: number
  /**
   * How long the network cut lasts in the "reconnect in time" scenario: shorter than anyone waits before
   * declaring a departure. Defaults to half the departure timeout; a transport with presence of its own
   * gives a cut well inside its grace period.
   */
  readonly briefCutMs?: number
  /**
   * Why this harness cannot do a capability. Scenarios needing it are skipped with this reason.
   * Defaults to none: every scenario runs.
   */
  readonly cannot?: Partial<Record<ConformanceCapability, string>>
  /**
   * Starts a fresh world for one scenario. `auth` is `true` for the token scenarios: the world must then
   * have `tokens`, and may require tokens of everyone (a server that checks them).
   */
  start(options: { auth: boolean }): ConformanceWorld | Promise<ConformanceWorld>
}

/** One lifecycle scenario, written once against the transport contract and the public API. */
export interface ConformanceScenario {
  /** What it checks, in a sentence (the test's name). */
  readonly name: string
  /** What the scenario needs beyond plain meetings. */
  readonly needs: readonly ConformanceCapability[]
  /** Runs the scenario; rejects with an `Error` saying what went wrong. */
  run(harness: ConformanceHarness): Promise<void>
}

/** A scenario bound to one harness, for a test runner: run it, or report it skipped with `skipped`. */
export interface ConformanceTest {
  /** What it checks, in a sentence: the name to give the test in your runner. */
  readonly name: string
  /** Why it cannot run on this harness (the harness's own words), or `null`. */
  readonly skipped: string | null
  /** Runs it in a world of its own; rejects with an `Error` saying what went wrong. It does not look at `skipped`: check that first. */
  run(): Promise<void>
}
