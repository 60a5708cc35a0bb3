export * from './source.js';
export * from './diagnostic.js';
export * from './catalogue.js';
