import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'tsup'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packageBuild } from '../../../tsup.base.js'
import * as source from '../src/index.js'

type Core = typeof source
const packageDir = fileURLToPath(new URL('..', import.meta.url))
let outDir: string
let esm: Core
let cjs: Core

// The package's own build (ESM and CommonJS), written under its node_modules so both copies resolve
// xstate and jose as an installed package does: two copies of the class, as an app that imports core
// from an ES module while a dependency requires it gets.
beforeAll(async () => {
  await mkdir(join(packageDir, 'node_modules'), { recursive: true })
  outDir = await mkdtemp(join(packageDir, 'node_modules', '.copies-'))
  await build({
    ...packageBuild,
    entry: [join(packageDir, 'src/index.ts')],
    tsconfig: join(packageDir, 'tsconfig.build.json'),
    outDir,
    dts: false,
    clean: false,
    silent: true,
  })
  esm = (await import(pathToFileURL(join(outDir, 'index.js')).href)) as Core
  cjs = createRequire(import.meta.url)(join(outDir, 'index.cjs')) as Core
}, 60_000)

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

describe('isMeetingError across copies of core', () => {
  it('the copies are distinct classes, so instanceof fails between them', () => {
    expect(esm.MeetingError).not.toBe(cjs.MeetingError)
    expect(cjs.MeetingError.invalidOption('x', 'y')).not.toBeInstanceOf(esm.MeetingError)
  })

  it('recognises an error from any copy in every copy', () => {
    const copies = { esm, cjs, source }
    for (const [madeBy, maker] of Object.entries(copies)) {
      const error = maker.MeetingError.notJoined('end')
      for (const [checkedBy, checker] of Object.entries(copies)) {
        expect([madeBy, checkedBy, checker.isMeetingError(error)]).toEqual([madeBy, checkedBy, true])
      }
    }
  })

  it('keeps refusing look-alikes that are not MeetingErrors', () => {
    for (const core of [esm, cjs]) {
      const plain = Object.assign(new Error('x'), { name: 'MeetingError', code: 'NOT_JOINED' })
      expect(core.isMeetingError(plain)).toBe(false)
      expect(core.isMeetingError({ ...core.MeetingError.notJoined('end') })).toBe(false)
      expect(core.isMeetingError(JSON.parse(JSON.stringify(core.MeetingError.notJoined('end'))))).toBe(false)
      expect(core.isMeetingError(null)).toBe(false)
      expect(core.isMeetingError('MeetingError')).toBe(false)
    }
  })

  it('leaves no trace of the mark in what an error shows', () => {
    const error = cjs.MeetingError.invalidOption('port', 'must be a number')
    expect(Object.keys(error)).toEqual(['name', 'code', 'details'])
    expect(Object.getOwnPropertySymbols(error)).toEqual([])
    expect(JSON.stringify(error)).toBe(
      '{"name":"MeetingError","code":"INVALID_OPTION","details":{"option":"port"}}',
    )
  })
})
