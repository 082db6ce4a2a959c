import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PythonBench } from './python.ts'

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0

describe.skipIf(!hasNumpy)('PythonBench', () => {
  let server: PythonBench
  beforeAll(async () => {
    const started = await PythonBench.start(1, 'numpy', ['python3'])
    if (typeof started === 'string') throw new Error(started)
    server = started
  })
  afterAll(() => server?.close())

  it('replies only once the threads a run left busy have stopped, so the next contender has the cores', async () => {
    const start = performance.now()
    const ms = await server.time({ op: 'spin', ms: 300 }, 1, 0)
    const elapsed = performance.now() - start
    expect(ms).toHaveLength(1)
    expect(ms[0]!).toBeLessThan(100) // the run itself only starts the thread
    expect(server.quietWaits.at(-1)!).toBeGreaterThanOrEqual(250)
    expect(elapsed).toBeGreaterThanOrEqual(250)
  })

  it('waits no longer than one short check when nothing is left running', async () => {
    await server.time({ op: 'numpy_gemm', m: 8, n: 8, k: 8, transA: false, transB: false, dtype: 'float64' }, 2, 1)
    expect(server.quietWaits.at(-1)!).toBeLessThan(100)
  })
})
