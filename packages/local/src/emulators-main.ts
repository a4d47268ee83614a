/**
 * The emulators process at its old path, `packages/local/dist/emulators-main.js`, which
 * scripts/bench and scripts/soak still start; see `@herald/emulators` for the contract. Remove
 * once they start their stack with startStack.
 */
import { serveEmulators } from '@herald/emulators';

serveEmulators(process.env);
