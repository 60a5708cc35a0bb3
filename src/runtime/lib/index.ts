/**
 * The runtime support library of generated engines: aggregations, value printing, tables and histograms, the
 * `.utr` source table for run-time errors, and the `CompiledEngine` base class with its `EngineHost`. It is part of
 * the runtime (it imports nothing from the compiler), exported through `utrc/runtime`.
 */
export * from './aggregation.js';
export * from './compiled-engine.js';
export { Hist, renderHist } from './hist.js';
export * from './int.js';
export * from './render.js';
export { Show, type Shower } from './show.js';
export * from './source-table.js';
export * from './values.js';
