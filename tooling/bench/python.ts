/**
 * The bench's line to Python: starts tooling/bench/torch_server.py once and sends it one JSON
 * request per line (see that file for the requests). Used to time PyTorch and the seeds' numpy code
 * on the same shapes, in the same run, alternating with the library.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const SERVER = fileURLToPath(new URL('./torch_server.py', import.meta.url))

/** What the Python side has: versions, or null where a package is missing. */
export interface PythonInfo {
  python: string
  torch: string | null
  /** PyTorch's BLAS_INFO: 'generic' means torch.mm goes through the system's libblas. */
  torchBlas: string | null
  torchThreads: number | null
  numpy: string | null
  /** The BLAS numpy was built with, where numpy says (e.g. scipy-openblas). */
  blas: string
}

/** A running torch_server.py. */
export class PythonBench {
  private readonly replies: ((line: string) => void)[] = []
  /** After each timed request, how long the server waited for its threads to stop spinning (ms). */
  readonly quietWaits: number[] = []
  /** Versions, filled in by start(). */
  info: PythonInfo = { python: '', torch: null, torchBlas: null, torchThreads: null, numpy: null, blas: 'unknown' }

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {}

  /**
   * Starts the server with `threads` threads for PyTorch and the BLAS, with the first of the
   * `pythons` that can import `module`; returns the reason when none can or the server fails.
   */
  static async start(threads: number, module: 'torch' | 'numpy', pythons: string[]): Promise<PythonBench | string> {
    const python = pythons.find((p) => spawnSync(p, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0)
    if (python === undefined) return `no python3 with ${module} found (tried ${pythons.join(', ')})`
    const env: NodeJS.ProcessEnv = { ...process.env, BENCH_THREADS: String(threads), OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) }
    // the anchors' advice for a fair numpy: no OpenBLAS overrides
    delete env.OPENBLAS_CORETYPE
    delete env.OPENBLAS_L2_SIZE
    const child = spawn(python, [SERVER], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)))
    const bench = new PythonBench(child)
    createInterface({ input: child.stdout }).on('line', (line) => bench.replies.shift()?.(line))
    child.on('exit', () => {
      for (const pending of bench.replies.splice(0)) pending(JSON.stringify({ error: `python3 exited: ${stderr.trim().split('\n').pop()}` }))
    })
    try {
      bench.info = (await bench.request({ op: 'info' })) as unknown as PythonInfo
      return bench
    } catch (error) {
      child.kill()
      return `python3 failed: ${(error as Error).message} ${stderr.trim()}`
    }
  }

  /** Sends one request and waits for its reply; a reply with an error rejects. */
  request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      this.replies.push((line) => {
        const reply = JSON.parse(line) as Record<string, unknown>
        if (typeof reply.error === 'string') reject(new Error(reply.error))
        else resolve(reply)
      })
      this.child.stdin.write(JSON.stringify(body) + '\n')
    })
  }

  /**
   * Times a request: the milliseconds of each repetition. The reply comes once the server's
   * threads have gone quiet (a BLAS's spin on after a call), so the next contender has the cores.
   */
  async time(body: Record<string, unknown>, reps: number, warmup: number): Promise<number[]> {
    const reply = await this.request({ ...body, reps, warmup })
    if (typeof reply.quietMs === 'number') this.quietWaits.push(reply.quietMs)
    return reply.ms as number[]
  }

  close(): void {
    this.child.stdin.end()
    this.child.kill()
  }
}
