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
