// Compiles the TypeScript examples of the guides in docs/: the ```ts blocks
// of each guide are joined into one module (in order) and type-checked
// against the library's sources. Blocks fenced as ```ts no-check are skipped.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, '.tsperf', 'docs-check');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const guides = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'));
const files = [];
for (const guide of guides) {
  const text = readFileSync(join(root, 'docs', guide), 'utf8');
  const blocks = [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  if (blocks.length === 0) continue;
  const file = join(out, guide.replace(/\.md$/, '.ts'));
  writeFileSync(file, `// compiled from docs/${guide}\nexport {};\n${blocks.join('\n')}`);
  files.push(file);
}
writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({
  extends: '../../tsconfig.json',
  compilerOptions: { noEmit: true, rootDir: '../..', noUnusedLocals: false },
  include: files.map((f) => f.slice(out.length + 1)),
}, null, 2));
try {
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(out, 'tsconfig.json')], { stdio: 'inherit' });
} catch {
  console.error('docs: examples in the guides do not compile (see above)');
  process.exit(1);
}
console.log(`docs: examples compiled from ${files.map((f) => f.slice(out.length + 1)).join(', ')}`);
