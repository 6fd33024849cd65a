/** The DSL's module graph: no import cycles (issue 10, item 3: builder → descriptor → flink-tasks → builder). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = path.resolve(import.meta.dirname, '../src/dsl');

function imports(file: string): string[] {
  const text = readFileSync(path.join(dir, file), 'utf8');
  return [...text.matchAll(/^import\s[^;]*?from\s+'\.\/([\w-]+)\.js';/gms)].map((m) => `${m[1]}.ts`);
}

describe('src/dsl', () => {
  it('has no import cycle, type-only imports included', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    const graph = new Map(files.map((f) => [f, imports(f)]));
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      if (trail.includes(file)) {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
        return;
      }
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
    expect(graph.get('descriptor.ts')).not.toContain('flink-tasks.ts');
  });
});
