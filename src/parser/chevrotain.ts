/**
 * Chevrotain, loaded from the single-file bundle it ships (`lib/chevrotain.mjs`) rather than from its package entry,
 * which pulls in lodash-es as some 650 separate modules: opening and linking those costs about a quarter of a second
 * at every start of `utrc` (see bench/README.md). The package's `exports` map does not list the bundle, so it is
 * found by path next to the entry. The types are the package's own. Every parser module imports Chevrotain's values
 * from here, so token types, `EOF` and the parser class all come from the same copy.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type * as ChevrotainModule from 'chevrotain';

type Chevrotain = typeof ChevrotainModule;

const entry = createRequire(import.meta.url).resolve('chevrotain');
const chevrotain = (await import(new URL('../chevrotain.mjs', pathToFileURL(entry)).href)) as Chevrotain;

export const {
  createSyntaxDiagramsCode,
  createToken,
  createTokenInstance,
  EmbeddedActionsParser,
  EOF,
  isRecognitionException,
  Lexer,
  tokenLabel,
  tokenMatcher,
} = chevrotain;
