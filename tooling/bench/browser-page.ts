/**
 * The page of `npm run bench -- --browser`: starts the bench worker and gives the driving process
 * `window.bench`, whose calls return the worker's answers (browser.ts calls them through playwright).
 */
import type { BenchReply, BenchRequest } from './browser-worker.ts'

const worker = new Worker(new URL('./browser-worker.ts', import.meta.url), { type: 'module' })

/** Sends one request and resolves with the worker's answer; rejects on an error in the worker. */
function ask(request: BenchRequest): Promise<BenchReply> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<BenchReply>) => (event.data.type === 'error' ? reject(new Error(event.data.message)) : resolve(event.data))
    worker.onerror = (event) => reject(new Error(`bench worker: ${event.message}`))
    worker.postMessage(request)
  })
}

;(window as unknown as { bench: unknown }).bench = {
  init: (threads: number) => ask({ type: 'init', threads }),
  time: async (reps: number) => {
    const reply = await ask({ type: 'time', reps })
    return reply.type === 'times' ? reply.ms : []
  },
}
