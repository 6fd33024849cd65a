// The same import under module node16: TypeScript refuses require() of an ES module
// there (TS1479). scripts/check-package.mjs checks that this is the error a
// consumer gets, as the README says.
import { FlinkTasks } from 'flink-tasks';

export const tasks = new FlinkTasks({ namespace: 'example', workerName: 'worker' });
