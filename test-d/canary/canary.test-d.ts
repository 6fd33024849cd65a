/**
 * Type-performance canary (also a tsd test). A 500-step continueWith chain and a
 * 64-branch heterogeneous tuple group, each with its inferred result checked.
 * Must check without TS2589 ("Type instantiation is excessively deep"); the
 * instantiation counts are measured by `npm run types:perf` (scripts/type-perf.mjs),
 * which also runs this file through plain tsc, so it must stay free of
 * expectError (every line here must compile).
 *
 * The chain cycles through five tasks whose types all differ, so every step's
 * ContinueCheck really compares types:
 *   { len, s } -lenOf-> number -isEven(_, flag)-> boolean -fromBool-> number -toStr-> string -measure(_, pad)-> { len, s }
 */
import { expectType } from 'tsd';
import { FlinkTasks, TaskError, inParallel, type GroupPipeline, type Pipeline, type ResultOf } from 'flink-tasks';

const tasks = new FlinkTasks({ namespace: 'canary', workerName: 'worker' });

// chain tasks
const seed = tasks.bind('seed', (s: string) => ({ len: s.length, s }));
const lenOf = tasks.bind('lenOf', (m: { len: number; s: string }) => m.len);
const isEven = tasks.bind('isEven', (n: number, flag: boolean) => flag && n % 2 === 0);
const fromBool = tasks.bind('fromBool', (b: boolean) => (b ? 1 : 0));
const toStr = tasks.bind('toStr', (n: number) => String(n));
const measure = tasks.bind('measure', (s: string, pad: number) => ({ len: s.length + pad, s }));

// 500 steps in segments of 100 (one expression 500 calls deep overflows Prettier's and ESLint's parsers)
const chain1 = seed
  .send('start')
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2);
const chain2 = chain1
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2);
const chain3 = chain2
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2);
const chain4 = chain3
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2);
const chain = chain4
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2)
  .continueWith(lenOf)
  .continueWith(isEven, true)
  .continueWith(fromBool)
  .continueWith(toStr)
  .continueWith(measure, 2);

expectType<Pipeline<{ len: number; s: string }>>(chain);
expectType<{ len: number; s: string }>({} as ResultOf<typeof chain>);
// step 501 still infers (wrong wirings at the end of long chains: continue-with.test-d.ts)
expectType<Pipeline<number>>(chain.continueWith(lenOf));

// 64 branches, each with its own result type: 8 base types, then objects with a key per
// branch ({ k8: number }, { k9: string }, …); every 4th branch is a plain send, a
// FinalPipeline, a recovered pipeline (T | null) and a nested group ([T, number]).
const recover = tasks.bind('recover', (e: TaskError) => (e.errorType === 'x' ? null : null));
const cleanup = tasks.bind('cleanup', (dir: string) => dir.length);
const b0 = tasks.bind('b0', (i: number): number => i);
const b1 = tasks.bind('b1', (i: number): string => String(i));
const b2 = tasks.bind('b2', (i: number): boolean => i > 0);
const b3 = tasks.bind('b3', (i: number): Date => new Date(i));
const b4 = tasks.bind('b4', (i: number): bigint => BigInt(i));
const b5 = tasks.bind('b5', (i: number): string[] => [String(i)]);
const b6 = tasks.bind('b6', (i: number): [number, string] => [i, String(i)]);
const b7 = tasks.bind('b7', (i: number): 'a' | 'b' => (i > 0 ? 'a' : 'b'));
const b8 = tasks.bind('b8', (i: number): { k8: number } => ({ k8: i }));
const b9 = tasks.bind('b9', (i: number): { k9: string } => ({ k9: String(i) }));
const b10 = tasks.bind('b10', (i: number): { k10: boolean } => ({ k10: i > 0 }));
const b11 = tasks.bind('b11', (i: number): { k11: Date } => ({ k11: new Date(i) }));
const b12 = tasks.bind('b12', (i: number): { k12: bigint } => ({ k12: BigInt(i) }));
const b13 = tasks.bind('b13', (i: number): { k13: string[] } => ({ k13: [String(i)] }));
const b14 = tasks.bind('b14', (i: number): { k14: [number, string] } => ({ k14: [i, String(i)] }));
const b15 = tasks.bind('b15', (i: number): { k15: 'a' | 'b' } => ({ k15: i > 0 ? 'a' : 'b' }));
const b16 = tasks.bind('b16', (i: number): { k16: number } => ({ k16: i }));
const b17 = tasks.bind('b17', (i: number): { k17: string } => ({ k17: String(i) }));
const b18 = tasks.bind('b18', (i: number): { k18: boolean } => ({ k18: i > 0 }));
const b19 = tasks.bind('b19', (i: number): { k19: Date } => ({ k19: new Date(i) }));
const b20 = tasks.bind('b20', (i: number): { k20: bigint } => ({ k20: BigInt(i) }));
const b21 = tasks.bind('b21', (i: number): { k21: string[] } => ({ k21: [String(i)] }));
const b22 = tasks.bind('b22', (i: number): { k22: [number, string] } => ({ k22: [i, String(i)] }));
const b23 = tasks.bind('b23', (i: number): { k23: 'a' | 'b' } => ({ k23: i > 0 ? 'a' : 'b' }));
const b24 = tasks.bind('b24', (i: number): { k24: number } => ({ k24: i }));
const b25 = tasks.bind('b25', (i: number): { k25: string } => ({ k25: String(i) }));
const b26 = tasks.bind('b26', (i: number): { k26: boolean } => ({ k26: i > 0 }));
const b27 = tasks.bind('b27', (i: number): { k27: Date } => ({ k27: new Date(i) }));
const b28 = tasks.bind('b28', (i: number): { k28: bigint } => ({ k28: BigInt(i) }));
const b29 = tasks.bind('b29', (i: number): { k29: string[] } => ({ k29: [String(i)] }));
const b30 = tasks.bind('b30', (i: number): { k30: [number, string] } => ({ k30: [i, String(i)] }));
const b31 = tasks.bind('b31', (i: number): { k31: 'a' | 'b' } => ({ k31: i > 0 ? 'a' : 'b' }));
const b32 = tasks.bind('b32', (i: number): { k32: number } => ({ k32: i }));
const b33 = tasks.bind('b33', (i: number): { k33: string } => ({ k33: String(i) }));
const b34 = tasks.bind('b34', (i: number): { k34: boolean } => ({ k34: i > 0 }));
const b35 = tasks.bind('b35', (i: number): { k35: Date } => ({ k35: new Date(i) }));
const b36 = tasks.bind('b36', (i: number): { k36: bigint } => ({ k36: BigInt(i) }));
const b37 = tasks.bind('b37', (i: number): { k37: string[] } => ({ k37: [String(i)] }));
const b38 = tasks.bind('b38', (i: number): { k38: [number, string] } => ({ k38: [i, String(i)] }));
const b39 = tasks.bind('b39', (i: number): { k39: 'a' | 'b' } => ({ k39: i > 0 ? 'a' : 'b' }));
const b40 = tasks.bind('b40', (i: number): { k40: number } => ({ k40: i }));
const b41 = tasks.bind('b41', (i: number): { k41: string } => ({ k41: String(i) }));
const b42 = tasks.bind('b42', (i: number): { k42: boolean } => ({ k42: i > 0 }));
const b43 = tasks.bind('b43', (i: number): { k43: Date } => ({ k43: new Date(i) }));
const b44 = tasks.bind('b44', (i: number): { k44: bigint } => ({ k44: BigInt(i) }));
const b45 = tasks.bind('b45', (i: number): { k45: string[] } => ({ k45: [String(i)] }));
const b46 = tasks.bind('b46', (i: number): { k46: [number, string] } => ({ k46: [i, String(i)] }));
const b47 = tasks.bind('b47', (i: number): { k47: 'a' | 'b' } => ({ k47: i > 0 ? 'a' : 'b' }));
const b48 = tasks.bind('b48', (i: number): { k48: number } => ({ k48: i }));
const b49 = tasks.bind('b49', (i: number): { k49: string } => ({ k49: String(i) }));
const b50 = tasks.bind('b50', (i: number): { k50: boolean } => ({ k50: i > 0 }));
const b51 = tasks.bind('b51', (i: number): { k51: Date } => ({ k51: new Date(i) }));
const b52 = tasks.bind('b52', (i: number): { k52: bigint } => ({ k52: BigInt(i) }));
const b53 = tasks.bind('b53', (i: number): { k53: string[] } => ({ k53: [String(i)] }));
const b54 = tasks.bind('b54', (i: number): { k54: [number, string] } => ({ k54: [i, String(i)] }));
const b55 = tasks.bind('b55', (i: number): { k55: 'a' | 'b' } => ({ k55: i > 0 ? 'a' : 'b' }));
const b56 = tasks.bind('b56', (i: number): { k56: number } => ({ k56: i }));
const b57 = tasks.bind('b57', (i: number): { k57: string } => ({ k57: String(i) }));
const b58 = tasks.bind('b58', (i: number): { k58: boolean } => ({ k58: i > 0 }));
const b59 = tasks.bind('b59', (i: number): { k59: Date } => ({ k59: new Date(i) }));
const b60 = tasks.bind('b60', (i: number): { k60: bigint } => ({ k60: BigInt(i) }));
const b61 = tasks.bind('b61', (i: number): { k61: string[] } => ({ k61: [String(i)] }));
const b62 = tasks.bind('b62', (i: number): { k62: [number, string] } => ({ k62: [i, String(i)] }));
const b63 = tasks.bind('b63', (i: number): { k63: 'a' | 'b' } => ({ k63: i > 0 ? 'a' : 'b' }));

const group = inParallel([
  b0.send(0),
  b1.send(1).finallyDo(cleanup, 'tmp'),
  b2.send(2).exceptionally(recover),
  inParallel([b3.send(3), b0.send(0)]),
  b4.send(4),
  b5.send(5).finallyDo(cleanup, 'tmp'),
  b6.send(6).exceptionally(recover),
  inParallel([b7.send(7), b0.send(0)]),
  b8.send(8),
  b9.send(9).finallyDo(cleanup, 'tmp'),
  b10.send(10).exceptionally(recover),
  inParallel([b11.send(11), b0.send(0)]),
  b12.send(12),
  b13.send(13).finallyDo(cleanup, 'tmp'),
  b14.send(14).exceptionally(recover),
  inParallel([b15.send(15), b0.send(0)]),
  b16.send(16),
  b17.send(17).finallyDo(cleanup, 'tmp'),
  b18.send(18).exceptionally(recover),
  inParallel([b19.send(19), b0.send(0)]),
  b20.send(20),
  b21.send(21).finallyDo(cleanup, 'tmp'),
  b22.send(22).exceptionally(recover),
  inParallel([b23.send(23), b0.send(0)]),
  b24.send(24),
  b25.send(25).finallyDo(cleanup, 'tmp'),
  b26.send(26).exceptionally(recover),
  inParallel([b27.send(27), b0.send(0)]),
  b28.send(28),
  b29.send(29).finallyDo(cleanup, 'tmp'),
  b30.send(30).exceptionally(recover),
  inParallel([b31.send(31), b0.send(0)]),
  b32.send(32),
  b33.send(33).finallyDo(cleanup, 'tmp'),
  b34.send(34).exceptionally(recover),
  inParallel([b35.send(35), b0.send(0)]),
  b36.send(36),
  b37.send(37).finallyDo(cleanup, 'tmp'),
  b38.send(38).exceptionally(recover),
  inParallel([b39.send(39), b0.send(0)]),
  b40.send(40),
  b41.send(41).finallyDo(cleanup, 'tmp'),
  b42.send(42).exceptionally(recover),
  inParallel([b43.send(43), b0.send(0)]),
  b44.send(44),
  b45.send(45).finallyDo(cleanup, 'tmp'),
  b46.send(46).exceptionally(recover),
  inParallel([b47.send(47), b0.send(0)]),
  b48.send(48),
  b49.send(49).finallyDo(cleanup, 'tmp'),
  b50.send(50).exceptionally(recover),
  inParallel([b51.send(51), b0.send(0)]),
  b52.send(52),
  b53.send(53).finallyDo(cleanup, 'tmp'),
  b54.send(54).exceptionally(recover),
  inParallel([b55.send(55), b0.send(0)]),
  b56.send(56),
  b57.send(57).finallyDo(cleanup, 'tmp'),
  b58.send(58).exceptionally(recover),
  inParallel([b59.send(59), b0.send(0)]),
  b60.send(60),
  b61.send(61).finallyDo(cleanup, 'tmp'),
  b62.send(62).exceptionally(recover),
  inParallel([b63.send(63), b0.send(0)]),
]);

type Expected = [
  number,
  string,
  boolean | null,
  [Date, number],
  bigint,
  string[],
  [number, string] | null,
  ['a' | 'b', number],
  { k8: number },
  { k9: string },
  { k10: boolean } | null,
  [{ k11: Date }, number],
  { k12: bigint },
  { k13: string[] },
  { k14: [number, string] } | null,
  [{ k15: 'a' | 'b' }, number],
  { k16: number },
  { k17: string },
  { k18: boolean } | null,
  [{ k19: Date }, number],
  { k20: bigint },
  { k21: string[] },
  { k22: [number, string] } | null,
  [{ k23: 'a' | 'b' }, number],
  { k24: number },
  { k25: string },
  { k26: boolean } | null,
  [{ k27: Date }, number],
  { k28: bigint },
  { k29: string[] },
  { k30: [number, string] } | null,
  [{ k31: 'a' | 'b' }, number],
  { k32: number },
  { k33: string },
  { k34: boolean } | null,
  [{ k35: Date }, number],
  { k36: bigint },
  { k37: string[] },
  { k38: [number, string] } | null,
  [{ k39: 'a' | 'b' }, number],
  { k40: number },
  { k41: string },
  { k42: boolean } | null,
  [{ k43: Date }, number],
  { k44: bigint },
  { k45: string[] },
  { k46: [number, string] } | null,
  [{ k47: 'a' | 'b' }, number],
  { k48: number },
  { k49: string },
  { k50: boolean } | null,
  [{ k51: Date }, number],
  { k52: bigint },
  { k53: string[] },
  { k54: [number, string] } | null,
  [{ k55: 'a' | 'b' }, number],
  { k56: number },
  { k57: string },
  { k58: boolean } | null,
  [{ k59: Date }, number],
  { k60: bigint },
  { k61: string[] },
  { k62: [number, string] } | null,
  [{ k63: 'a' | 'b' }, number],
];

expectType<GroupPipeline<Expected>>(group);
expectType<64>({} as ResultOf<typeof group>['length']);
expectType<GroupPipeline<Array<Expected[number] | TaskError>>>(
  inParallel(
    [
      b0.send(0),
      b1.send(1).finallyDo(cleanup, 'tmp'),
      b2.send(2).exceptionally(recover),
      inParallel([b3.send(3), b0.send(0)]),
      b4.send(4),
      b5.send(5).finallyDo(cleanup, 'tmp'),
      b6.send(6).exceptionally(recover),
      inParallel([b7.send(7), b0.send(0)]),
      b8.send(8),
      b9.send(9).finallyDo(cleanup, 'tmp'),
      b10.send(10).exceptionally(recover),
      inParallel([b11.send(11), b0.send(0)]),
      b12.send(12),
      b13.send(13).finallyDo(cleanup, 'tmp'),
      b14.send(14).exceptionally(recover),
      inParallel([b15.send(15), b0.send(0)]),
      b16.send(16),
      b17.send(17).finallyDo(cleanup, 'tmp'),
      b18.send(18).exceptionally(recover),
      inParallel([b19.send(19), b0.send(0)]),
      b20.send(20),
      b21.send(21).finallyDo(cleanup, 'tmp'),
      b22.send(22).exceptionally(recover),
      inParallel([b23.send(23), b0.send(0)]),
      b24.send(24),
      b25.send(25).finallyDo(cleanup, 'tmp'),
      b26.send(26).exceptionally(recover),
      inParallel([b27.send(27), b0.send(0)]),
      b28.send(28),
      b29.send(29).finallyDo(cleanup, 'tmp'),
      b30.send(30).exceptionally(recover),
      inParallel([b31.send(31), b0.send(0)]),
      b32.send(32),
      b33.send(33).finallyDo(cleanup, 'tmp'),
      b34.send(34).exceptionally(recover),
      inParallel([b35.send(35), b0.send(0)]),
      b36.send(36),
      b37.send(37).finallyDo(cleanup, 'tmp'),
      b38.send(38).exceptionally(recover),
      inParallel([b39.send(39), b0.send(0)]),
      b40.send(40),
      b41.send(41).finallyDo(cleanup, 'tmp'),
      b42.send(42).exceptionally(recover),
      inParallel([b43.send(43), b0.send(0)]),
      b44.send(44),
      b45.send(45).finallyDo(cleanup, 'tmp'),
      b46.send(46).exceptionally(recover),
      inParallel([b47.send(47), b0.send(0)]),
      b48.send(48),
      b49.send(49).finallyDo(cleanup, 'tmp'),
      b50.send(50).exceptionally(recover),
      inParallel([b51.send(51), b0.send(0)]),
      b52.send(52),
      b53.send(53).finallyDo(cleanup, 'tmp'),
      b54.send(54).exceptionally(recover),
      inParallel([b55.send(55), b0.send(0)]),
      b56.send(56),
      b57.send(57).finallyDo(cleanup, 'tmp'),
      b58.send(58).exceptionally(recover),
      inParallel([b59.send(59), b0.send(0)]),
      b60.send(60),
      b61.send(61).finallyDo(cleanup, 'tmp'),
      b62.send(62).exceptionally(recover),
      inParallel([b63.send(63), b0.send(0)]),
    ],
    { ordered: false, returnExceptions: true },
  ),
);
