/** The cost proxy: counts the AWS calls and capacity Herald's processes use (see proxy.ts). */
export { startCostProxy } from './proxy';
export type { CostProxy, CostProxyUpstreams } from './proxy';
export type { CostSnapshot, Counters } from './counters';
export { itemSize } from './item-size';
