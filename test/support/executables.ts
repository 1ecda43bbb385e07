import { spawnSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

// How the test setups find the system programs they drive (Chromium, redis-server, apt-get).

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The first executable `name` in `PATH`, then in `fallbackDirs` (for a `PATH` that lacks them). */
export function onPath(
  name: string,
  env: NodeJS.ProcessEnv,
  fallbackDirs: readonly string[] = [],
): string | undefined {
  return [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...fallbackDirs]
    .map((dir) => join(dir, name))
    .find(isExecutable)
}

/**
 * `apt-get update`, then `apt-get install -y <debianPackage>`, non-interactively. Throws on the first
 * step that fails, with apt's own last words: `"\`apt-get update -qq\` failed (exit 100): E: …"`.
 */
export function aptInstall(apt: string, debianPackage: string, env: NodeJS.ProcessEnv): void {
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', debianPackage],
  ]) {
    const result = spawnSync(apt, args, {
      env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    if (result.status !== 0) {
      const why = (result.stderr || result.stdout || String(result.error ?? '')).trim().split('\n').slice(-3)
      throw new Error(`\`apt-get ${args.join(' ')}\` failed (exit ${result.status}): ${why.join(' / ')}`)
    }
  }
}
