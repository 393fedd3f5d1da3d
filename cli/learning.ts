/** Plans that learn, as configured: the stored outcome counts and WINFIX_LEARN_MINIMUM (0: off). */
import type { Storage } from '../connectors/storage';
import { SqlOutcomeCounts } from '../connectors/storage/outcome-counts';
import type { Learning } from '../rules/planner/learned-order';
import type { Config } from './config';

export function configuredLearning(config: Config, storage: Storage | null): Learning | undefined {
  if (!storage || config.learnMinimum <= 0) return undefined;
  return {
    counts: new SqlOutcomeCounts(storage.db, { clock: storage.clock, log: storage.log }),
    minimum: config.learnMinimum,
  };
}
