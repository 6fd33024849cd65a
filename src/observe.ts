/**
 * Seeing pipelines: pictures (`toMermaid`), the live state of pipelines built
 * from their events (`PipelineIndex`), and the web dashboard
 * (`serveDashboard`). The `flink-tasks` command line is built on the same.
 *
 * @example
 * ```ts
 * import { serveDashboard, toMermaid } from 'flink-tasks/observe';
 * console.log(toMermaid(averageStdDev.send(['BT.L', 'BP.L'])));
 * const dashboard = await serveDashboard(client); // client: TasksClient & PipelineObserver
 * ```
 *
 * @module
 */
export { toMermaid, type MermaidOptions } from './observe/mermaid.js';
export type { PictureOptions, StatusInput } from './observe/picture.js';
export type { EntryStatus } from './observe/entry-state.js';
export { PipelineIndex, type PipelineIndexOptions } from './observe/pipeline-index.js';
export { serveDashboard, type Dashboard, type DashboardOptions } from './dashboard/server.js';
export type { PipelineSummary, ListOptions, EntryState, PipelineView, PipelineObserver } from './observe/pipeline-summary.js';
