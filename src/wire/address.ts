/**
 * Function addresses between their wire form (`type`) and the form tasks
 * and the SDK use (`name`).
 *
 * @module
 */
import type { FunctionAddress } from '../dsl/context.js';
import type { WireAddress } from './messages.js';

/** The wire form of a function address. */
export const toWireAddress = (a: FunctionAddress): WireAddress => ({ namespace: a.namespace, type: a.name, id: a.id });

/** A function address from its wire form. */
export const fromWireAddress = (a: WireAddress): FunctionAddress => ({ namespace: a.namespace, name: a.type, id: a.id });
