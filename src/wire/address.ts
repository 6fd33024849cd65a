/**
 * Function addresses between their wire form (`type`) and the form tasks
 * and the SDK use (`name`).
 *
 * @module
 */
import type { FunctionAddress } from '../core/address.js';
import type { Address } from './generated/flinktasks.js';

/** The wire form of a function address. */
export const toWireAddress = (a: FunctionAddress): Address => ({ namespace: a.namespace, type: a.name, id: a.id });

/** A function address from its wire form. */
export const fromWireAddress = (a: Address): FunctionAddress => ({ namespace: a.namespace, name: a.type, id: a.id });

/** `namespace/type/id`, for logs and events. */
export const addressText = (a: Address | undefined): string => (a ? `${a.namespace}/${a.type}/${a.id}` : '');
