import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const script = fileURLToPath(new URL('./fixtures/closeThenExit.ts', import.meta.url))

it('after close() nothing of the server keeps Node running, even after a peer connected', () => {
  // PeerServer's own housekeeping timers re-arm forever; before they were unref'd this process never exited.
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 20_000 })
  expect(run.stdout).toContain('closed')
  expect(run.signal, 'the process was still running 20 s after close()').toBeNull()
  expect(run.status, run.stderr).toBe(0)
  // Longer than the child's own 20 s, so a slow machine reports the child's fate rather than a test timeout.
}, 30_000)
