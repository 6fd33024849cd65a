// Fails on a link in README.md, CHANGELOG.md or docs/*.md that leads nowhere:
// - a relative link must name a file of the repository, and its #anchor a
//   heading of that page (GitHub's and typedoc's slugs agree for our headings);
// - a link into this project's own GitHub repository (package.json
//   "repository") must name a path that exists here;
// - the README is also the registry's page: its relative links may only
//   lead to files that are published (package.json "files"), where both the
//   registry and an installed copy can resolve them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const repo = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
const pages = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const published = (path) =>
  ['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json'].includes(path) ||
  pkg.files.some((pattern) =>
    pattern.includes('*')
      ? new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`).test(path)
      : path === pattern || path.startsWith(`${pattern}/`),
  );

const slug = (heading) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
const anchorsOf = (file) => {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```$/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.*)$/gm)].map((m) => slug(m[1])));
};

const problems = [];
let checked = 0;
for (const page of pages) {
  const text = readFileSync(join(root, page), 'utf8').replace(/^```[\s\S]*?^```$/gm, (block) => block.replace(/[^\n]/g, ' '));
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      checked++;
      const where = `${page}:${i + 1}: ${target}`;
      let path;
      let anchor;
      if (target.startsWith(`${repo}/`)) {
        const m = /^\/(?:tree|blob)\/main\/([^#]*)(?:#(.*))?$/.exec(target.slice(repo.length));
        if (!m) {
          problems.push(`${where}: links into the repository should read ${repo}/blob/main/<file> or /tree/main/<folder>`);
          continue;
        }
        path = m[1];
        anchor = m[2];
      } else if (/^[a-z]+:/i.test(target)) {
        continue; // other sites: not checked offline
      } else {
        const [file, hash] = target.split('#');
        path = file === '' ? page : relative(root, join(root, dirname(page), file));
        anchor = hash;
        if (page === 'README.md' && file !== '' && !published(path)) {
          problems.push(`${where}: the README is the registry's page too, and ${path} is not published; link to ${repo}/blob/main/${path}`);
        }
      }
      const full = join(root, path);
      if (!existsSync(full)) {
        problems.push(`${where}: ${path} does not exist`);
        continue;
      }
      if (anchor && (statSync(full).isDirectory() || !path.endsWith('.md') || !anchorsOf(full).has(anchor))) {
        problems.push(`${where}: ${path} has no heading #${anchor}`);
      }
    }
  });
}
if (problems.length > 0) {
  console.error(`links: ${problems.length} broken:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`links: ${checked} links in ${pages.length} pages lead somewhere`);
