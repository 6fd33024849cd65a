// A typedoc plugin (typedoc.json "plugin") that lays out the API reference by
// concept, from one reviewed table (docs/site/api-groups.json) rather than
// tags scattered over the sources:
// - each top-level export of an entry point goes into the group (section) the
//   table names, unless its own doc comment has a `@group` tag;
// - the table's `internal` names (type-level plumbing, the IR) are removed
//   from the site, like `@internal` with `excludeInternal`;
// - an export that the table does not know, or a name in the table that is not
//   exported any more, is a warning, so `npm run docs` (warnings are errors)
//   fails until the table says where it belongs.
import { readFileSync } from 'node:fs';
import { Comment, CommentTag, Converter, ReflectionKind } from 'typedoc';

const tablePath = new URL('./api-groups.json', import.meta.url);

/** @param {import('typedoc').Application} app */
export function load(app) {
  const table = JSON.parse(readFileSync(tablePath, 'utf8'));
  const groupOf = new Map();
  for (const [group, names] of Object.entries(table.groups)) {
    for (const name of names) {
      if (groupOf.has(name)) app.logger.warn(`api-groups.json: ${name} is listed in both "${groupOf.get(name)}" and "${group}"`);
      groupOf.set(name, group);
    }
  }
  const internal = new Set(table.internal);

  // Before typedoc's own plugins resolve (they remove hidden reflections at
  // priority 0, group them at RESOLVE_END), so removed reflections are never
  // grouped or validated and group tags are in place when groups are made.
  app.converter.on(
    Converter.EVENT_RESOLVE_BEGIN,
    (context) => {
      const project = context.project;
      const seen = new Set();
      const modules = project.children?.some((c) => c.kindOf(ReflectionKind.Module))
        ? project.children.filter((c) => c.kindOf(ReflectionKind.Module))
        : [project];
      for (const module of modules) {
        for (const declaration of [...(module.children ?? [])]) {
          const name = declaration.name;
          seen.add(name);
          if (internal.has(name)) {
            project.removeReflection(declaration);
            continue;
          }
          for (const member of [...(declaration.children ?? [])]) {
            const qualified = `${name}.${member.name}`;
            if (internal.has(qualified)) {
              seen.add(qualified);
              project.removeReflection(member);
            }
          }
          const hasOwnGroup = [declaration.comment, ...(declaration.signatures ?? []).map((s) => s.comment)].some((c) =>
            c?.blockTags.some((t) => t.tag === '@group'),
          );
          if (hasOwnGroup) continue;
          const group = groupOf.get(name);
          if (!group) {
            app.logger.warn(
              `${module.name}: the export ${name} is in no group of docs/site/api-groups.json; add it to the group it belongs to (or to "internal")`,
            );
            continue;
          }
          declaration.comment ??= new Comment();
          declaration.comment.blockTags.push(new CommentTag('@group', [{ kind: 'text', text: group }]));
        }
      }
      // Each section of a module page opens with the table's description of it.
      for (const module of modules) {
        const used = new Set((module.children ?? []).map((c) => groupOf.get(c.name)).filter(Boolean));
        for (const [group, text] of Object.entries(table.descriptions ?? {})) {
          if (!used.has(group)) continue;
          module.comment ??= new Comment();
          if (module.comment.blockTags.some((t) => t.tag === '@groupDescription' && t.content[0]?.text.startsWith(`${group}\n`))) continue;
          module.comment.blockTags.push(
            new CommentTag('@groupDescription', Comment.parseMarkdown?.(`${group}\n${text}`) ?? [{ kind: 'text', text: `${group}\n${text}` }]),
          );
        }
      }
      for (const name of [...groupOf.keys(), ...internal]) {
        if (!seen.has(name)) app.logger.warn(`docs/site/api-groups.json lists ${name}, which no entry point exports (any more); remove it from the table`);
      }
    },
    100,
  );
}
