/**
 * The untyped pipeline IR and its passes.
 *
 * @module
 */
export {
  PipelineNode,
  TaskEntryNode,
  GroupEntryNode,
  RetryPolicyNode,
  branchCount,
  branchAt,
  mapTask,
  type EntryNode,
  type IrNode,
  type IrNodeKind,
  type MapBranches,
} from './nodes.js';
export { ArgsTable } from './args-table.js';
export { transformPipeline, visitPipeline, numberEntries, countEntries, type TransformHandlers, type VisitHandlers } from './transform.js';
export { validatePipeline } from './validate.js';
export { splitLargeGroups, DEFAULT_SPLIT_THRESHOLD } from './split.js';
export { segmentLongChains, DEFAULT_SEGMENT_LENGTH } from './segment.js';
