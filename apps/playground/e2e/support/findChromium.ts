import { aptInstall, isExecutable, onPath } from '../../../../test/support/executables.js'

/** What fixes a machine with no Chromium: Debian's package, the browser the suites are tested with. */
export const INSTALL_COMMAND = 'apt-get update && apt-get install -y chromium'

/** Browser names looked up on `PATH`, in order: Debian's, Ubuntu's older name, then Google Chrome. */
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']

/** Where Debian and Chrome put them, for a `PATH` that lacks `/usr/bin`. */
export const KNOWN_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/opt/google/chrome/chrome']

export interface ChromiumSearch {
  /** Defaults to `process.env`: `CHROMIUM_PATH` first, then the names on `PATH`. */
  env?: NodeJS.ProcessEnv
  /** Absolute paths tried after `PATH`. Defaults to {@link KNOWN_PATHS}. */
  knownPaths?: readonly string[]
}

/**
 * The Chromium to drive: `CHROMIUM_PATH` if set (and then only it, so a wrong value is an error rather
 * than silently another browser), otherwise the first of chromium, chromium-browser, google-chrome on
 * `PATH` or in the usual places. `null` when there is none.
 */
export function findChromium({
  env = process.env,
  knownPaths = KNOWN_PATHS,
}: ChromiumSearch = {}): string | null {
  const chosen = env.CHROMIUM_PATH
  if (chosen) {
    if (isExecutable(chosen)) return chosen
    throw new Error(`CHROMIUM_PATH=${chosen} is not an executable file. Unset it, or point it at Chromium.`)
  }
  for (const name of NAMES) {
    const found = onPath(name, env)
    if (found) return found
  }
  return knownPaths.find(isExecutable) ?? null
}

export interface ObtainOptions extends ChromiumSearch {
  /** Whether this process may install system packages. Defaults to running as root. */
  isRoot?: boolean
  /** Where apt's progress goes. Defaults to stderr. */
  log?: (line: string) => void
}

/**
 * Finds a Chromium, or installs Debian's when this process is root and `apt-get` is there, as a fresh
 * machine's `npm test` must. Otherwise it throws, naming the command that fixes it.
 */
export function obtainChromium(options: ObtainOptions = {}): string {
  const env = options.env ?? process.env
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const found = findChromium(options)
  if (found) return found
  const isRoot = options.isRoot ?? process.getuid?.() === 0
  const apt = onPath('apt-get', env)
  const fix = `No Chromium for the playground's browser tests. Fix: run \`${INSTALL_COMMAND}\` as root (or set CHROMIUM_PATH to a Chromium or Chrome binary).`
  if (!isRoot || !apt) {
    throw new Error(`${fix} ${!apt ? 'apt-get was not found' : 'Not root, so not installing it myself'}.`)
  }
  log(`No Chromium found: installing Debian's (${INSTALL_COMMAND}), about a minute…`)
  try {
    aptInstall(apt, 'chromium', env)
  } catch (error) {
    throw new Error(`${fix} ${(error as Error).message}`)
  }
  const installed = findChromium(options)
  if (!installed)
    throw new Error(`${fix} apt-get installed chromium, but no chromium binary was found after.`)
  log(`Installed ${installed}.`)
  return installed
}
