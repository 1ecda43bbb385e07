/**
 * Real WebRTC on a lossy network: the PeerServer and four participants, each its own process, inside
 * a network namespace whose nftables drop 20% of all UDP at random. Every pair must link (the
 * transport keeps dialling until it does), and every lifecycle event must be told exactly once: no
 * live participant reported gone (heartbeats take an unreliable channel of their own, so a lost packet
 * on the reliable one no longer silences a peer for longer than the departure timeout). Join times at
 * 0-30% and the leave, crash and end latencies are in `npm run bench` (webrtc-lossy).
 */
import { afterAll, describe, expect, it } from 'vitest'
import { lossyMeeting } from './support/lossyMeeting.js'
import { createLossyNetwork } from './support/lossyNetwork.js'

const network = createLossyNetwork()
const why = 'unavailable' in network ? network.unavailable : null
// Said on its own line: a run of many files shows a skipped test's title only with a verbose reporter.
if (why !== null) console.warn(`lossy-network test skipped: ${why}`)
afterAll(() => {
  if (!('unavailable' in network)) network.close()
})

describe.skipIf(why !== null)(`on a lossy network${why ? ` (skipped: ${why})` : ''}`, () => {
  it('at 20% UDP loss four people link, then a leave, a crash and an end are each told exactly once', async () => {
    if ('unavailable' in network) return
    // Each step must be seen by everyone within a minute (before: some pairs never linked), and the
    // record must be clean (before: live participants reported gone, then joining again).
    const result = await lossyMeeting(network, 20, { stepTimeoutMs: 60_000 })
    console.log(`lossy network, 20%: ${JSON.stringify(result)}`)
    expect(result.droppedPackets).toBeGreaterThan(0)
    expect(result.joinsMs).toHaveLength(3)
    expect(result.violations).toEqual([])
  }, 400_000)
})
