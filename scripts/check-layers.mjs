#!/usr/bin/env node
// The import graph of src/: no cycles between files, and no layer importing
// from a layer above it. Layers, bottom up (a folder may import from its own
// layer and those below):
//   core → ir → wire → dsl → observe → executor → worker → client → statefun → local → dashboard → cli
// Entry points (src/*.ts) sit on top. Type-only imports count too: a type is
// a dependency. Prints the graph's size, or each violation and exits 1.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');
const LAYERS = ['core', 'ir', 'wire', 'dsl', 'observe', 'executor', 'worker', 'client', 'statefun', 'local', 'dashboard', 'cli'];

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) files.push(path);
  }
})(src);

const layerOf = (file) => {
  const rel = relative(src, file).split('/');
  return rel.length === 1 ? LAYERS.length : LAYERS.indexOf(rel[0]);
};

const graph = new Map();
const problems = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const deps = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
    const target = resolve(dirname(file), m[1]).replace(/\.js$/, '.ts');
    if (target.includes('/wire/generated/')) continue; // generated code: part of the wire layer, imports only the runtime
    deps.push(target);
    const from = layerOf(file);
    const to = layerOf(target);
    if (from === -1) problems.push(`${relative(root, file)}: folder not in the layer list`);
    else if (to > from)
      problems.push(`${relative(root, file)} (${LAYERS[from] ?? 'entry'}) imports ${relative(root, target)} (${LAYERS[to] ?? 'entry'}), a layer above it`);
  }
  graph.set(file, deps);
}

// Cycles (Tarjan's strongly connected components).
let index = 0;
const stack = [];
const info = new Map();
function strong(v) {
  info.set(v, { index, low: index, on: true });
  index += 1;
  stack.push(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!info.has(w)) {
      strong(w);
      info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
    } else if (info.get(w).on) {
      info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
    }
  }
  if (info.get(v).low === info.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      info.get(w).on = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1) problems.push(`import cycle: ${component.map((f) => relative(root, f)).join(' → ')}`);
  }
}
for (const v of graph.keys()) if (!info.has(v)) strong(v);

if (problems.length > 0) {
  console.error(`layers: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
const edges = [...graph.values()].reduce((n, d) => n + d.length, 0);
console.log(`layers: ${files.length} files, ${edges} imports; no cycle, no import from a layer above`);
