/**
 * Node's WebRTC and WebSocket for PeerJS, from the shipped entry (`@convene/transport-peerjs/node`),
 * plus what only tests want: loopback-only peer connections, and a count of the connected ones.
 */
import '../../src/node.js'

import { appendFileSync } from 'node:fs'

/** CONVENE_PHASE_LOG=<file>: each peer connection's handshake phases, one JSON line each (diagnostics). */
const phaseLog = process.env.CONVENE_PHASE_LOG
let pcs = 0
function tracePhases(pc: RTCPeerConnection): void {
  const n = ++pcs
  const who = process.env.CONVENE_PHASE_WHO ?? String(process.pid)
  const log = (phase: string, extra: Record<string, unknown> = {}) =>
    appendFileSync(phaseLog!, `${JSON.stringify({ at: Date.now(), who, pc: n, phase, ...extra })}\n`)
  log('created')
  pc.addEventListener('iceconnectionstatechange', () => log(`ice-${pc.iceConnectionState}`))
  pc.addEventListener('connectionstatechange', () => log(`pc-${pc.connectionState}`))
  const ufrag = (sdp: string | undefined) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1]
  pc.addEventListener('signalingstatechange', () =>
    log(`sig-${pc.signalingState}`, {
      local: ufrag(pc.localDescription?.sdp),
      remote: ufrag(pc.remoteDescription?.sdp),
    }),
  )
  const create = pc.createDataChannel.bind(pc)
  pc.createDataChannel = (label, init) => {
    const channel = create(label, init)
    channel.addEventListener('open', () => log('dc-open', { label }))
    return channel
  }
  pc.addEventListener('datachannel', (e) => {
    const channel = (e as RTCDataChannelEvent).channel
    channel.addEventListener('open', () => log('dc-open', { label: channel.label, remote: true }))
    if (channel.readyState === 'open') log('dc-open', { label: channel.label, remote: true, early: true })
  })
}

const live = new Set<{ readonly connectionState: string }>()
let created = 0

/** How many peer connections this process has made so far (each dial makes one at each end). */
export function createdPeerConnections(): number {
  return created
}

/** How many peer connections of this process are connected right now (both ends count when local). */
export function connectedPeerConnections(): number {
  return [...live].filter((pc) => pc.connectionState === 'connected').length
}

const globals = globalThis as unknown as { RTCPeerConnection: typeof RTCPeerConnection }
const Shipped = globals.RTCPeerConnection

class TestRTCPeerConnection extends Shipped {
  constructor(config?: RTCConfiguration) {
    // Loopback only: tests stay on this machine, and fewer candidate pairs means faster, steadier ICE.
    // CONVENE_BIND_ADDRESS picks another address (the lossy-network test runs in a namespace of its own).
    const bindAddress = process.env.CONVENE_BIND_ADDRESS ?? '127.0.0.1'
    super({ ...config, bindAddress } as RTCConfiguration)
    live.add(this)
    created += 1
    if (phaseLog) tracePhases(this)
    this.addEventListener('connectionstatechange', () => {
      if (this.connectionState === 'closed' || this.connectionState === 'failed') live.delete(this)
    })
  }
}
globals.RTCPeerConnection = TestRTCPeerConnection
