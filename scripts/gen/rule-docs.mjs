// One Markdown page per race rule under docs/rules/, generated from the rule's metadata (src/checker/rules), plus
// an index. Needs a build: imports from dist/. test/checker/rules/docs.test.ts fails when the pages drift.
import { RULES } from '../../dist/checker/rules/index.js';
import { rulePage, rulePageName, rulesIndexPage } from '../../dist/checker/rules/docs.js';

/** The generated files: `docs/rules/README.md` and `docs/rules/UTR3xxx-name.md` for every rule. */
export function generate() {
  return [
    { path: 'docs/rules/README.md', content: rulesIndexPage() },
    ...RULES.map((r) => ({ path: `docs/rules/${rulePageName(r.meta)}`, content: rulePage(r.meta) })),
  ];
}
