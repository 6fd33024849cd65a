/**
 * The untyped pipeline IR and its passes.
 *
 * @module
 */
export { PipelineNode, TaskEntryNode, GroupEntryNode, RetryPolicyNode, type EntryNode, type IrNode, type IrNodeKind } from './nodes.js';
export { transformPipeline, visitPipeline, numberEntries, countEntries, type TransformHandlers, type VisitHandlers } from './transform.js';
export { validatePipeline } from './validate.js';
export { splitLargeGroups, DEFAULT_SPLIT_THRESHOLD } from './split.js';
export { segmentLongChains, DEFAULT_SEGMENT_LENGTH } from './segment.js';
