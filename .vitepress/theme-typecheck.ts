/**
 * `npm run typecheck` reads `.vitepress/*.ts` (tsconfig.json), not the theme's folders: these
 * type-only imports bring the live demos' TypeScript (the worker, its messages, the chart helpers)
 * into the check, so that a change in the library's API shows up there. Nothing imports this file.
 */
export type * as TrainDemoWorker from './theme/train-demo/train.worker.ts'
export type * as TrainDemoChart from './theme/train-demo/chart.ts'
export type * as TrainDemoProtocol from './theme/train-demo/protocol.ts'
