export { createQueueConsumer } from './queue-consumer';
export type { ConsumerOptions } from './queue-consumer';
export { startSweeper } from './sweeper';
export { createPoisonPolicy, PROCESSING_FAILED } from './poison';
export type { PoisonPolicyOptions } from './poison';
