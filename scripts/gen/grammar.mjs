// Railroad diagrams of the .utr grammar, drawn by Chevrotain from the parser's own grammar (see
// src/parser/diagrams.ts). Needs a build: imports from dist/.
import { grammarDiagramsHtml } from '../../dist/parser/diagrams.js';

/** The generated files of the grammar: `grammar/diagrams.html`. */
export function generate() {
  return [{ path: 'grammar/diagrams.html', content: grammarDiagramsHtml() }];
}
