// Fails if a public symbol (a top-level export of an entry point) has no
// @example in its doc comment. Reads the JSON model that `npm run docs`
// writes next to the site (typedoc.json "outputs"), so run that first.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, '.tsperf', 'api.json');
if (!existsSync(out)) {
  console.error('check-examples: .tsperf/api.json is missing; run `npm run docs` first');
  process.exit(1);
}
const model = JSON.parse(readFileSync(out, 'utf8'));
const hasExample = (r) => {
  const comments = [r.comment, ...(r.signatures ?? []).map((s) => s.comment), r.getSignature?.comment, r.type?.declaration?.signatures?.[0]?.comment];
  return comments.some((c) => c?.blockTags?.some((t) => t.tag === '@example'));
};
const missing = [];
const walk = (r, prefix) => {
  for (const child of r.children ?? []) {
    const name = `${prefix}${child.name}`;
    if (child.kind === 4 /* namespace */ || child.kind === 2 /* module */) walk(child, `${name}.`);
    else if (!hasExample(child)) missing.push(name);
  }
};
walk(model, '');
if (missing.length > 0) {
  console.error(`public symbols without an @example (${missing.length}):\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log('examples: every public symbol has an @example');
