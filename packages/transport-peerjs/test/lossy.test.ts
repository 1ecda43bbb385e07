/**
 * Real WebRTC on a lossy network: the PeerServer and four participants, each its own process, inside
 * a network namespace whose nftables drop 20% of all UDP at random. Every pair must link (the
 * transport keeps redialling until it does), and every participant must see the leave, the crash and
 * the end. Join times at 0-30% and the exactly-once record are in `npm run bench` (webrtc-lossy).
 */
import { afterAll, describe, expect, it } from 'vitest'
import { lossyMeeting } from './support/lossyMeeting.js'
import { createLossyNetwork } from './support/lossyNetwork.js'

const network = createLossyNetwork()
const why = 'unavailable' in network ? network.unavailable : null
afterAll(() => {
  if (!('unavailable' in network)) network.close()
})

describe.skipIf(why !== null)(`on a lossy network${why ? ` (skipped: ${why})` : ''}`, () => {
  it('at 20% UDP loss four people all link, and each sees the leave, the crash and the end', async () => {
    if ('unavailable' in network) return
    // Each step (a join seen by all, a departure seen by all) must finish within a minute.
    const result = await lossyMeeting(network, 20, { stepTimeoutMs: 60_000 })
    console.log(`lossy network, 20%: ${JSON.stringify(result)}`)
    expect(result.droppedPackets).toBeGreaterThan(0)
    expect(result.joinsMs).toHaveLength(3)
  }, 300_000)
})
