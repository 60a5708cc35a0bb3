/**
 * Railroad diagrams of the parser's grammar, drawn by Chevrotain from the grammar it actually runs, so the pictures
 * cannot drift from the parser. `npm run gen` writes them to `grammar/diagrams.html`.
 */
import { createSyntaxDiagramsCode } from './chevrotain.js';
import { UtrParser } from './grammar.js';

/** The HTML page of railroad diagrams for every grammar rule. */
export function grammarDiagramsHtml(): string {
  const productions = new UtrParser().getSerializedGastProductions();
  return createSyntaxDiagramsCode(productions);
}
