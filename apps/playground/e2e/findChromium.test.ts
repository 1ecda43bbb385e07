import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findChromium, INSTALL_COMMAND, obtainChromium } from './support/findChromium.js'

// A machine without a browser, simulated: PATH holds only a temporary folder, the usual places are
// left out, and apt-get is a script that does what the test says.
let bin: string
const noBrowser = () => ({ env: { PATH: bin }, knownPaths: [], log: () => {} })
const script = (name: string, body: string) => {
  const path = join(bin, name)
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
  return path
}

beforeEach(() => {
  bin = mkdtempSync(join(tmpdir(), 'convene-no-browser-'))
})
afterEach(() => rmSync(bin, { recursive: true, force: true }))

describe('findChromium', () => {
  it('takes CHROMIUM_PATH, and only it: a wrong one is an error, not another browser', () => {
    const mine = script('my-chrome', 'exit 0')
    script('chromium', 'exit 0')
    expect(findChromium({ env: { PATH: bin, CHROMIUM_PATH: mine }, knownPaths: [] })).toBe(mine)
    expect(() =>
      findChromium({ env: { PATH: bin, CHROMIUM_PATH: join(bin, 'nope') }, knownPaths: [] }),
    ).toThrow(/CHROMIUM_PATH=.*nope is not an executable file/)
  })

  it('finds chromium, chromium-browser or google-chrome on PATH, Debian first; a non-executable file is not one', () => {
    expect(findChromium(noBrowser())).toBeNull()
    writeFileSync(join(bin, 'chromium'), 'not executable')
    expect(findChromium(noBrowser())).toBeNull()
    const chrome = script('google-chrome', 'exit 0')
    expect(findChromium(noBrowser())).toBe(chrome)
    const ubuntu = script('chromium-browser', 'exit 0')
    expect(findChromium(noBrowser())).toBe(ubuntu)
    rmSync(join(bin, 'chromium'))
    const debian = script('chromium', 'exit 0')
    expect(findChromium(noBrowser())).toBe(debian)
  })

  it('falls back to the usual absolute places when PATH has none', () => {
    const elsewhere = script('chrome', 'exit 0')
    expect(findChromium({ env: { PATH: '' }, knownPaths: ['/nowhere/chromium', elsewhere] })).toBe(elsewhere)
  })
})

describe('obtainChromium on a machine without a browser', () => {
  it('as root with apt-get: installs Debian chromium non-interactively, then uses it', () => {
    const calls = join(bin, 'calls.log')
    // The fake apt-get "installs" by putting an executable chromium on PATH.
    script(
      'apt-get',
      `printf '%s %s\\n' "$DEBIAN_FRONTEND" "$*" >> ${calls}
if [ "$1" = install ]; then printf '#!/bin/sh\\n' > ${bin}/chromium; /bin/chmod 755 ${bin}/chromium; fi`,
    )
    const lines: string[] = []
    const path = obtainChromium({ ...noBrowser(), isRoot: true, log: (l) => lines.push(l) })
    expect(path).toBe(join(bin, 'chromium'))
    expect(readFileSync(calls, 'utf8')).toBe(
      'noninteractive update -qq\nnoninteractive install -y -qq chromium\n',
    )
    expect(lines[0]).toContain(INSTALL_COMMAND)
  })

  it('does not install when a browser is there', () => {
    const chromium = script('chromium', 'exit 0')
    script('apt-get', 'exit 99')
    expect(obtainChromium({ ...noBrowser(), isRoot: true })).toBe(chromium)
  })

  const fails = (isRoot: boolean) => {
    try {
      obtainChromium({ ...noBrowser(), isRoot })
    } catch (error) {
      return (error as Error).message
    }
    throw new Error('obtainChromium did not fail')
  }

  it('not root: fails naming the one command that fixes it, and installs nothing', () => {
    const calls = join(bin, 'calls.log')
    script('apt-get', `echo called >> ${calls}`)
    const message = fails(false)
    expect(message).toContain(`run \`${INSTALL_COMMAND}\` as root`)
    expect(message).toContain('Not root')
    expect(() => readFileSync(calls)).toThrow()
  })

  it('root without apt-get: fails naming the command', () => {
    const message = fails(true)
    expect(message).toContain(INSTALL_COMMAND)
    expect(message).toContain('apt-get was not found')
  })

  it("apt-get fails (no network): says so with apt's own last words, and the command", () => {
    script('apt-get', `echo "E: Unable to locate package chromium" >&2; exit 100`)
    const message = fails(true)
    expect(message).toContain(INSTALL_COMMAND)
    expect(message).toContain('exit 100')
    expect(message).toContain('Unable to locate package chromium')
  })

  it('apt-get succeeds yet leaves no browser: fails rather than launching nothing', () => {
    script('apt-get', 'exit 0')
    expect(fails(true)).toMatch(/no chromium binary was found after/)
  })
})
