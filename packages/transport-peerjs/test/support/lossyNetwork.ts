/**
 * A network namespace of its own that drops a share of all UDP at random (nftables), for real WebRTC
 * on a lossy network: loopback for the PeerServer (TCP, never dropped), and a veth pair with both ends
 * inside so ICE has non-loopback addresses to gather. Names are unique to the run, so concurrent runs
 * never collide; the addresses exist only inside the namespace.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { aptInstall, onPath } from '../../../../test/support/executables.js'

const TABLE = 'convene_loss'

export interface LossyNetwork {
  readonly name: string
  /** The veth pair's addresses, for participants to bind to. */
  readonly addresses: readonly [string, string]
  /** Drops `percent` % of the UDP packets arriving anywhere in the namespace. */
  setLoss(percent: number): void
  /** UDP packets seen and dropped since the last `setLoss`. */
  counters(): { udp: number; dropped: number }
  /** The argv that runs `command` inside the namespace. */
  wrap(command: readonly string[]): string[]
  /** Deletes the namespace (and everything in it). Idempotent. */
  close(): void
}

const run = (argv: string[], input?: string) =>
  execFileSync(argv[0]!, argv.slice(1), { input, stdio: ['pipe', 'pipe', 'pipe'], encoding: 'utf8' })

const TOOLS = [
  { tool: 'ip', debianPackage: 'iproute2' },
  { tool: 'nft', debianPackage: 'nftables' },
] as const

const installed = (tool: string): boolean => {
  try {
    run([tool, '-V'])
    return true
  } catch {
    return false
  }
}

/**
 * Why namespaces cannot be made here, or `null` when they can. As root on Debian a missing `ip` or
 * `nft` is installed first, as the other tests install Chromium and redis-server: a fresh machine's
 * `npm test` runs this test rather than skipping it.
 */
function unavailable(): string | null {
  if (process.platform !== 'linux') return 'network namespaces need Linux'
  if (process.getuid?.() !== 0) return 'network namespaces need root'
  const apt = onPath('apt-get', process.env, ['/usr/bin', '/bin'])
  for (const { tool, debianPackage } of TOOLS) {
    if (installed(tool)) continue
    const fix = `\`${tool}\` is not installed (Debian: apt-get install ${debianPackage})`
    if (!apt) return fix
    process.stderr.write(`No ${tool} found: installing Debian's ${debianPackage}…\n`)
    try {
      aptInstall(apt, debianPackage, process.env)
    } catch (error) {
      return `${fix}: ${error instanceof Error ? error.message : String(error)}`
    }
    if (!installed(tool))
      return `${fix}: apt-get installed ${debianPackage}, but \`${tool}\` still does not run`
  }
  return null
}

/** A lossy namespace, or the reason it cannot be made on this machine. */
export function createLossyNetwork(): LossyNetwork | { unavailable: string } {
  const why = unavailable()
  if (why) return { unavailable: why }
  const name = `lossy-${process.pid}-${randomBytes(3).toString('hex')}`
  const addresses = ['10.203.0.1', '10.203.0.2'] as const
  let closed = false
  const close = () => {
    if (closed) return
    closed = true
    try {
      run(['ip', 'netns', 'delete', name])
    } catch {
      // Never made, or already gone.
    }
  }
  try {
    run(['ip', 'netns', 'add', name])
    run(['ip', '-n', name, 'link', 'set', 'lo', 'up'])
    run(['ip', '-n', name, 'link', 'add', 'cv0', 'type', 'veth', 'peer', 'name', 'cv1'])
    run(['ip', '-n', name, 'addr', 'add', `${addresses[0]}/30`, 'dev', 'cv0'])
    run(['ip', '-n', name, 'addr', 'add', `${addresses[1]}/30`, 'dev', 'cv1'])
    run(['ip', '-n', name, 'link', 'set', 'cv0', 'up'])
    run(['ip', '-n', name, 'link', 'set', 'cv1', 'up'])
  } catch (error) {
    close()
    return { unavailable: `could not make a network namespace: ${String(error).split('\n')[0]}` }
  }
  const nft = (script: string) => run(['ip', 'netns', 'exec', name, 'nft', '-f', '-'], script)
  const setLoss = (percent: number) => {
    nft(`table inet ${TABLE}
delete table inet ${TABLE}
table inet ${TABLE} {
  chain input {
    type filter hook input priority 0; policy accept;
    meta l4proto udp counter
    meta l4proto udp numgen random mod 100 lt ${Math.round(percent)} counter drop
  }
}
`)
  }
  try {
    setLoss(0)
  } catch (error) {
    close()
    return { unavailable: `nftables refused the loss rule: ${String(error).split('\n')[0]}` }
  }
  return {
    name,
    addresses,
    setLoss,
    counters() {
      const listed = JSON.parse(
        run(['ip', 'netns', 'exec', name, 'nft', '-j', 'list', 'table', 'inet', TABLE]),
      )
      const packets = (
        listed.nftables as Array<{ rule?: { expr: Array<{ counter?: { packets: number } }> } }>
      )
        .filter((entry) => entry.rule)
        .map((entry) => entry.rule!.expr.find((e) => e.counter)?.counter?.packets ?? 0)
      return { udp: packets[0] ?? 0, dropped: packets[1] ?? 0 }
    },
    wrap: (command) => ['ip', 'netns', 'exec', name, ...command],
    close,
  }
}
