import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { INSTALL_COMMAND, obtainRedisServer } from './support/redisServer.js'

// A machine without Redis, simulated (nothing is uninstalled): PATH holds only a temporary folder, the
// system folders are left out, and apt-get is a script that does what the test says.
let bin: string
const noRedis = (isRoot: boolean) => ({ env: { PATH: bin }, fallbackDirs: [], isRoot, log: () => {} })
const script = (name: string, body: string) => {
  const path = join(bin, name)
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
  return path
}
const fails = (isRoot: boolean) => {
  try {
    obtainRedisServer(noRedis(isRoot))
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('obtainRedisServer did not fail')
}

beforeEach(() => {
  bin = mkdtempSync(join(tmpdir(), 'convene-no-redis-'))
})
afterEach(() => rmSync(bin, { recursive: true, force: true }))

describe('obtainRedisServer on a machine without Redis', () => {
  it('uses the redis-server on PATH, then in the system folders, and installs nothing', () => {
    script('apt-get', 'exit 99')
    const redis = script('redis-server', 'exit 0')
    expect(obtainRedisServer(noRedis(true))).toBe(redis)
    const elsewhere = mkdtempSync(join(tmpdir(), 'convene-sbin-'))
    try {
      writeFileSync(join(elsewhere, 'redis-server'), '#!/bin/sh\n', { mode: 0o755 })
      expect(obtainRedisServer({ env: { PATH: '' }, fallbackDirs: [elsewhere] })).toBe(
        join(elsewhere, 'redis-server'),
      )
    } finally {
      rmSync(elsewhere, { recursive: true, force: true })
    }
  })

  it('as root with apt-get: installs Debian redis-server non-interactively, then uses it', () => {
    const calls = join(bin, 'calls.log')
    script(
      'apt-get',
      `printf '%s %s\\n' "$DEBIAN_FRONTEND" "$*" >> ${calls}
if [ "$1" = install ]; then printf '#!/bin/sh\\n' > ${bin}/redis-server; /bin/chmod 755 ${bin}/redis-server; fi`,
    )
    const lines: string[] = []
    expect(obtainRedisServer({ ...noRedis(true), log: (l) => lines.push(l) })).toBe(join(bin, 'redis-server'))
    expect(readFileSync(calls, 'utf8')).toBe(
      'noninteractive update -qq\nnoninteractive install -y -qq redis-server\n',
    )
    expect(lines[0]).toContain(INSTALL_COMMAND)
  })

  it('not root: fails naming the one command that fixes it, and installs nothing', () => {
    const calls = join(bin, 'calls.log')
    script('apt-get', `echo called >> ${calls}`)
    const message = fails(false)
    expect(message).toContain(`run \`${INSTALL_COMMAND}\` as root`)
    expect(message).toContain('Not root')
    expect(() => readFileSync(calls)).toThrow()
  })

  it('root without apt-get: fails naming the command', () => {
    expect(fails(true)).toMatch(/apt-get update && apt-get install -y redis-server.*apt-get was not found/)
  })

  it("apt-get fails (no network): says so with apt's own last words, and the command", () => {
    script('apt-get', 'echo "E: Unable to locate package redis-server" >&2; exit 100')
    const message = fails(true)
    expect(message).toContain(INSTALL_COMMAND)
    expect(message).toContain('exit 100')
    expect(message).toContain('Unable to locate package redis-server')
  })

  it('apt-get succeeds yet leaves no redis-server: fails rather than starting nothing', () => {
    script('apt-get', 'exit 0')
    expect(fails(true)).toMatch(/no binary was found after/)
  })
})
