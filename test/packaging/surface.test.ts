import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { beforeAll, describe, expect, it } from 'vitest'
import { findCycles, importGraph, sourceFiles, specifiers } from './surface/importGraph.js'
import { type Entry, publicSurface, type Surface } from './surface/publicSurface.js'
import { tsdocGaps } from './surface/tsdocGaps.js'

// Two properties of the packages' sources, checked without a build (a fresh clone's `npm test`):
// no import cycle (type-only imports included), and a public surface that names nothing internal,
// computed as the published `.d.ts` files would have it.

const root = fileURLToPath(new URL('../../', import.meta.url))
const packages = readdirSync(join(root, 'packages')).filter((pkg) =>
  existsSync(join(root, 'packages', pkg, 'src')),
)
// Every workspace with sources, the apps included: each is checked for cycles on its own.
const workspaces = ['packages', 'apps'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((name) => existsSync(join(root, dir, name, 'src')))
    .map((name) => `${dir}/${name}`),
)

// Every published entry (each package's `exports` map), with the source the workspace maps it to.
const paths: Record<string, string[]> = ts.readConfigFile(join(root, 'tsconfig.paths.json'), ts.sys.readFile)
  .config.compilerOptions.paths
const published = packages.flatMap((pkg) => {
  const json = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'))
  return Object.keys(json.exports ?? {})
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => ({ pkg, name: `${json.name}${subpath.slice(1)}`.replace(/^@convene\//, '') }))
})
const entries: Entry[] = published.flatMap(({ pkg, name }) => {
  const [source] = paths[`@convene/${name}`] ?? []
  return source ? [{ pkg, name, source: join(root, source) }] : []
})

const peerjs = [
  'IceServer',
  'LocalMediaStream',
  'MediaRequest',
  'PeerJSTransportOptions',
  'ReconnectPolicy',
  'VideoRequest',
  'createPeerJSTransport',
  'defaultReconnectPolicy',
]

/**
 * What each entry exports, on purpose. A new export fails the test until it is added here: every name
 * in this list is a promise to users that a later refactor must keep.
 */
const intended: Record<string, string[]> = {
  core: [
    ...['createMeeting', 'meetingMachine', 'createMemoryNetwork', 'tapTransport', 'parseWireMessage'],
    ...['MeetingError', 'isMeetingError', 'MeetingErrorCode', 'MeetingErrorDetails', 'PROTOCOL_VERSION'],
    ...[
      'Meeting',
      'MeetingSnapshot',
      'MeetingState',
      'MeetingStatus',
      'MeetingLeftReason',
      'JoinFailureReason',
    ],
    ...['MeetingEventMap', 'MeetingEventName', 'MeetingEmitted', 'CreateMeetingOptions', 'InspectOption'],
    ...['Participant', 'ParticipantInfo', 'ParticipantRole', 'ParticipantLeftReason'],
    ...['MediaStreamLike', 'MeetingMediaStream', 'MediaState'],
    ...['MeetingAuth', 'TokenProvider', 'TokenProviderRequest', 'PublicJwk'],
    ...['MeetingMachine', 'MeetingMachineContext', 'MeetingMachineSnapshot', 'MeetingActor'],
    ...['MeetingEvent', 'MeetingCommand', 'MeetingSessionEvent'],
    ...[
      'Transport',
      'TransportSession',
      'TransportSessionOptions',
      'TransportEvent',
      'PresenceGoneReason',
      'Delivery',
      'AttestedPeer',
      'TransportTap',
      'LinkId',
    ],
    ...['Subscribable', 'Observer', 'Unsubscribable'],
    ...['WireMessage', 'WireMessageType', 'WireEnvelope', 'HelloMessage', 'LeaveMessage', 'EndMessage'],
    ...['RemoveMessage', 'HeartbeatMessage', 'AckMessage', 'MediaMessage'],
    ...['MemoryNetwork', 'MemoryNetworkOptions', 'MemoryNetworkStats', 'MemoryFaults', 'INJECTED_LINK_ID'],
    ...['MemorySessionInfo', 'MemorySessionState', 'MemoryObserverErrorInfo'],
    ...['MemoryMediaStream', 'MemoryMediaTrack'],
  ],
  react: [
    ...['MeetingProvider', 'useMeeting', 'useParticipant', 'useMeetingSelector', 'useMeetingInstance'],
    ...['MeetingProviderConfig', 'MeetingProviderProps', 'UseMeetingOptions', 'UseMeetingResult'],
    ...['MeetingFields', 'MeetingCallbacks', 'UseParticipantResult'],
  ],
  'core/conformance': [
    ...['conformanceScenarios', 'conformanceTests', 'simulatedFaults', 'ConformanceFailure'],
    ...['ConformanceCapability', 'ConformanceHarness', 'ConformanceScenario', 'ConformanceTest'],
    ...[
      'ConformanceTiming',
      'ConformanceTokenClaims',
      'ConformanceTokens',
      'ConformanceWorld',
      'SimulatedFaults',
      'SimulatedFaultsOptions',
    ],
  ],
  // The formats the packages exchange: limits, the peer-id codec, each proof's signed bytes and text form.
  'core/wire': [
    ...['MAX_ID_LENGTH', 'MAX_PEER_ID_LENGTH', 'MAX_TOKEN_LENGTH', 'CLOCK_TOLERANCE_S', 'PROOF_WINDOW_MS'],
    'MAX_NAME_LENGTH',
    ...['ConvenePeerId', 'PEER_ID_PREFIX', 'createPeerId', 'parsePeerId', 'meetingKey', 'meetingKeyOfPeerId'],
    ...['SIGNALLING_CONTEXT', 'SIGNALLING_QUERY', 'SignallingToken', 'signallingPayload'],
    ...['formatSignallingToken', 'parseSignallingToken', 'isSignallingSecret'],
    ...['DIRECTORY_CONTEXT', 'DIRECTORY_PROOF_HEADER', 'DirectoryProof', 'directoryPayload'],
    ...['formatDirectoryProof', 'parseDirectoryProof', 'isPeerIdShaped'],
    ...['HELLO_CONTEXT', 'HelloProofFields', 'helloProofPayload'],
    ...['RELAY_CONTEXT', 'DEFAULT_RELAY_PATH', 'RelayProof', 'relayPayload', 'formatRelayProof'],
    ...['parseRelayProof', 'RELAY_MAX_MESSAGE_CHARS', 'isRelayPeer', 'RelayPeer', 'RelayLeaveReason'],
    ...['isRelayGone', 'RelayGone', 'isRelayMember', 'RelayMember', 'RelayHandshakeAuth'],
    ...['RelayError', 'RelayErrorCode', 'RelayServerEvents', 'RelayClientEvents', 'RelayEnded'],
    ...['RELAY_PROTOCOL_VERSION', 'isRelayEnded', 'readEndCommand', 'EndCommand', 'RELAY_MAX_PACKET_BYTES'],
    ...['RelayRef', 'isRelayRef', 'relayRefOf', 'relayRecordDigest', 'mediaOfRef'],
    ...['readPresentedSelf', 'PresentedSelf', 'readRelayMedia', 'readFields', 'Fail'],
    ...['isJwtShaped', 'isProofSignature', 'isProofTimestamp', 'SessionPublicKey', 'readSessionPublicKey'],
    ...['SIGNALLING_PRESENCE_TYPE', 'SignallingPresence', 'signallingPresence', 'readSignallingPresence'],
    'MAX_PRESENCE_PEERS',
    ...['SIGNALLING_END_TYPE', 'SIGNALLING_ENDED_TYPE', 'SignallingEnd', 'SignallingEnded', 'ReadEnd'],
    ...[
      'signallingEnd',
      'signallingEnded',
      'readSignallingEnd',
      'readSignallingEnded',
      'MAX_END_TEXT_LENGTH',
    ],
  ],
  'transport-peerjs': peerjs,
  'transport-peerjs/node': peerjs,
  server: [
    ...['createConveneServer', 'ConveneServer', 'ConveneServerOptions', 'AuthorizeRequest'],
    ...['ConveneServerAuth', 'TokenRequest', 'TokenDecision', 'TokenGrant', 'TokenResponse'],
    ...['createToken', 'TokenClaims', 'SessionPublicKey'],
    ...[
      'generateSigningKey',
      'importSigningKey',
      'SigningCryptoKey',
      'SigningJwk',
      'SigningKey',
      'SigningKeyOptions',
    ],
    ...['createRoomDirectory', 'RoomDirectory', 'ServerErrorBody', 'ServerErrorCode', 'Logger'],
    ...['LevelWithSilent', 'ConvenePeerId', 'meetingKey', 'meetingKeyOfPeerId', 'parsePeerId'],
    ...['createDirectoryProof', 'directoryPayload', 'DirectoryProofParts', 'DIRECTORY_CONTEXT'],
    ...['DIRECTORY_PROOF_HEADER', 'createSignallingToken', 'signallingPayload', 'SignallingTokenParts'],
    ...['SIGNALLING_CONTEXT', 'SIGNALLING_MAX_SKEW_MS'],
    ...[
      'ConveneRelayOptions',
      'RelayTraffic',
      'DEFAULT_RELAY_PATH',
      'RELAY_CONTEXT',
      'RELAY_MAX_MESSAGE_CHARS',
      'relayPayload',
    ],
    ...[
      'RelayClientEvents',
      'RelayError',
      'RelayErrorCode',
      'RelayLeaveReason',
      'RelayPeer',
      'RelayServerEvents',
    ],
  ],
  'transport-socketio': ['createSocketIOTransport', 'SocketIOTransportOptions'],
}

it('the cycle check covers every package and app', () => {
  expect(workspaces).toEqual(expect.arrayContaining(['packages/core', 'apps/playground']))
  expect(workspaces.filter((w) => w.startsWith('packages/'))).toHaveLength(packages.length)
})

describe.each(workspaces)('%s/src imports', (workspace) => {
  it('have no cycle, type-only imports included', () => {
    const { edges, unresolved } = importGraph(sourceFiles(join(root, workspace, 'src')))
    expect(unresolved, 'relative imports that name no file (the graph would miss them)').toEqual([])
    expect(findCycles(edges, root), 'import cycles (each: a shortest path round one)').toEqual([])
  })
})

it('the packages import one another without a cycle', () => {
  const edges = new Map(
    packages.map((pkg) => {
      const named = sourceFiles(join(root, 'packages', pkg, 'src')).flatMap(specifiers)
      const used = packages.filter(
        (other) => other !== pkg && named.some((s) => s.startsWith(`@convene/${other}`)),
      )
      return [pkg, used]
    }),
  )
  expect(edges.get('core'), '@convene/core depends on no other package').toEqual([])
  expect(findCycles(edges, root)).toEqual([])
})

describe('the public surface (the .d.ts files a build publishes)', () => {
  let surface: Surface
  it('covers every entry the packages publish', () => {
    const unmapped = published.filter(({ name }) => !entries.some((entry) => entry.name === name))
    expect(unmapped, 'exports without a source in tsconfig.paths.json: add one').toEqual([])
    const listed = published.map(({ name }) => name).filter((name) => !(name in intended))
    expect(listed, 'entries with no list of intended names below: add one').toEqual([])
  })

  beforeAll(() => {
    surface = publicSurface(root, entries)
  }, 120_000)

  it('is emitted without declaration errors', () => {
    expect(surface.errors).toEqual([])
  })

  it.each(entries.map((entry) => entry.name))('@convene/%s exports exactly the intended names', (entry) => {
    const message = `an export added or removed: change \`intended\` in this file if that is deliberate`
    expect(surface.exports.get(entry), message).toEqual([...(intended[entry] ?? [])].sort())
  })

  it('names no type that its package does not export', () => {
    const leaks = [...surface.internal].map(([key, { via }]) => `${key}, reached by ${via}`)
    expect(
      leaks,
      'internal types in the public declarations: export them on purpose, or stop naming them',
    ).toEqual([])
  })
})

// Wire formats (`@convene/core/wire` and core's message types) are read by transport and server
// authors with the protocol's documentation at hand; every other exported interface is read by apps.
const wireTypes = (entry: string, name: string) =>
  entry === 'core/wire' || /Message$|^WireEnvelope$|^Relay|^ConvenePeerId$/.test(name)

it('every field of an exported interface has TSDoc, and every option its default', () => {
  expect(tsdocGaps(root, entries, wireTypes)).toEqual([])
}, 120_000)

describe('the checks themselves', () => {
  // A fixture package that has an import cycle and returns a type its entry does not export.
  const fixture = fileURLToPath(new URL('./surface/fixture/', import.meta.url))

  it('find a cycle, and name the files on it', () => {
    const { edges } = importGraph(sourceFiles(join(fixture, 'packages/leaky/src')))
    expect(findCycles(edges, fixture)).toEqual([
      'packages/leaky/src/handle.ts → packages/leaky/src/index.ts → packages/leaky/src/handle.ts',
    ])
  })

  it('find a field without TSDoc, and an option without its default', () => {
    const source = join(fixture, 'packages/undocumented/src/index.ts')
    const entry = { pkg: 'undocumented', name: 'undocumented', source }
    expect(tsdocGaps(fixture, [entry], () => false)).toEqual([
      'undocumented: WidgetOptions.size: an option without its default',
      'undocumented: WidgetOptions.label: no TSDoc',
    ])
  }, 60_000)

  it('find an internal type, and the export that reaches it', () => {
    const source = join(fixture, 'packages/leaky/src/index.ts')
    const leaky = publicSurface(fixture, [{ pkg: 'leaky', name: 'leaky', source }])
    expect(leaky.exports.get('leaky')).toEqual(['VERSION', 'open'])
    expect(Object.fromEntries([...leaky.internal].map(([key, { via }]) => [key, via]))).toEqual({
      'leaky: Handle': 'leaky: open → Handle',
      'leaky: Secret': 'leaky: open → Handle → Secret',
    })
  }, 60_000)
})
