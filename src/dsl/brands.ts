/**
 * Phantom property keys of the typed DSL: type-level only, never set and
 * never emitted (each is a `declare const`).
 *
 * @module
 */

/** Key of a pipeline's boxed result type. */
export declare const resultType: unique symbol;
/** Key of a pipeline's state descriptor. */
export declare const stateType: unique symbol;
/** Key of whether a pipeline can run on its own. */
export declare const readyType: unique symbol;
/** Key of a task's result and state types. */
export declare const taskTypes: unique symbol;
/** Brand of {@link NoState}. */
export declare const noStateBrand: unique symbol;
/** Brand of {@link InitialState}. */
export declare const initialBrand: unique symbol;
/** Brand of {@link InlineState}. */
export declare const inlineBrand: unique symbol;
