import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const packages = ['core', 'react', 'transport-peerjs', 'transport-socketio', 'server']

interface PackageJson {
  name: string
  license: string
  repository: { type: string; url: string; directory: string }
  homepage: string
  bugs: { url: string }
  engines: { node: string }
  files: string[]
  bin?: Record<string, string>
  peerDependencies?: Record<string, string>
}

const read = (path: string) => readFileSync(join(root, path), 'utf8')
const manifest = (pkg: string) => JSON.parse(read(`packages/${pkg}/package.json`)) as PackageJson
const rootManifest = JSON.parse(read('package.json')) as { engines: { node: string } }

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : []
  })
}

/** What `npm pack` would put in the tarball (no scripts run, nothing written). */
function packed(pkg: string): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: join(root, 'packages', pkg),
    encoding: 'utf8',
  })
  return (JSON.parse(out) as [{ files: { path: string }[] }])[0].files.map((file) => file.path)
}

describe.each(packages)('@convene/%s', (pkg) => {
  const json = manifest(pkg)

  it('says where it comes from, under MIT, with the LICENSE text itself', () => {
    expect(json.license).toBe('MIT')
    expect(read('LICENSE')).toMatch(/^MIT License\n/)
    expect(read(`packages/${pkg}/LICENSE`)).toBe(read('LICENSE'))
    expect(json.repository).toEqual({
      type: 'git',
      url: manifest('core').repository.url,
      directory: `packages/${pkg}`,
    })
    expect(json.homepage).toMatch(new RegExp(`^https://.+/packages/${pkg}#readme$`))
    expect(json.bugs.url).toMatch(/^https:\/\/.+\/issues$/)
  })

  it('runs on the Node the repository tests (the root engines)', () => {
    expect(json.engines).toEqual(rootManifest.engines)
  })

  it('peer-depends only on what its sources import', () => {
    const code = sources(join(root, 'packages', pkg, 'src'))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n')
    for (const peer of Object.keys(json.peerDependencies ?? {})) {
      expect([peer, new RegExp(`['"]${peer}(/[^'"]*)?['"]`).test(code)]).toEqual([peer, true])
    }
  })

  it('ships its build, README and LICENSE: no sources, no source maps', () => {
    expect(json.files).toEqual(['dist'])
    const files = packed(pkg)
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']))
    expect(files.filter((file) => file.startsWith('src/') || file.endsWith('.map'))).toEqual([])
    expect(files.filter((file) => !/^(dist\/|LICENSE$|README\.md$|package\.json$)/.test(file))).toEqual([])
  })
})

it('@convene/server ships its bin as ESM only', () => {
  expect(manifest('server').bin).toEqual({ 'convene-server': './dist/cli.js' })
  expect(packed('server')).not.toContain('dist/cli.cjs')
})
