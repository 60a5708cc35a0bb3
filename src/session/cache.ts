/**
 * Compiled engines for `utrc run`, with a cache keyed by the content of the source, its name, the architecture
 * option and the utrc version and build (as SystemTap caches its modules): a repeated run of an unchanged file imports the
 * cached JavaScript and never loads the compiler. Entries are written to a temporary directory and renamed into
 * place, so a reader never sees half an entry.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArchName } from '../arch/index.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import type { CompiledEngineClass } from '../runtime/index.js';
import { defaultWorkloadFor } from '../runtime/sim/workload/builtin.js';
import { defaultEngines, involvedEngines, type LoadedEngine } from './session.js';

/** The runtime the generated modules import: this package's own build of it. */
const RUNTIME_URL = new URL('../runtime/index.js', import.meta.url).href;

/** The format of cache entries; bumped when their layout changes. */
const CACHE_FORMAT = 2;

/** The loaded program of a run. */
export interface LoadedProgram {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly arch: ArchName;
  readonly engines: readonly LoadedEngine[];
  /** Whether the engines came from the cache. */
  readonly cached: boolean;
  /** The built-in workload that best exercises the default choice of engines. */
  readonly defaultWorkload: string;
  /** Milliseconds per phase (`front end`, `codegen`, `transpile`, `load`). */
  readonly timings: Readonly<Record<string, number>>;
}

/** Options of `loadProgram`. */
export interface LoadOptions {
  readonly version: string;
  readonly arch?: ArchName;
  /** The cache directory; null to compile in memory without a cache. */
  readonly cacheDir: string | null;
  /** What generated code imports the runtime from (default: this package's build). */
  readonly runtimeUrl?: string;
}

interface Manifest {
  readonly format: number;
  readonly arch: ArchName;
  readonly diagnostics: readonly Diagnostic[];
  readonly defaultWorkload: string;
  readonly engines: readonly (EngineFacts & { readonly file: string })[];
}

/** What a run needs to know about an engine before loading it. */
interface EngineFacts {
  readonly name: string;
  readonly attaches: readonly string[];
  readonly events: readonly string[];
  readonly syscalls: readonly string[];
}

/** The default cache directory: `$UTRC_CACHE_DIR`, `$XDG_CACHE_HOME/utrc`, `~/.cache/utrc`, or one in the temp dir. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string | null {
  if (env['UTRC_CACHE'] === '0') return null;
  if (env['UTRC_CACHE_DIR']) return env['UTRC_CACHE_DIR'];
  if (env['XDG_CACHE_HOME']) return join(env['XDG_CACHE_HOME'], 'utrc');
  const home = homedir();
  return home ? join(home, '.cache', 'utrc') : join(tmpdir(), 'utrc-cache');
}

/**
 * The installed compiler's identity beyond its version: the size and time of the code generator's file, so a
 * rebuilt utrc (a developer's, or a reinstall of the same version) never runs engines compiled by the old one.
 */
function compilerFingerprint(): string {
  for (const ext of ['js', 'ts']) {
    try {
      const st = statSync(new URL(`../codegen/engine.${ext}`, import.meta.url));
      return `${st.size}:${st.mtimeMs}`;
    } catch {
      // Try the next form: `.js` when built, `.ts` when running from the sources.
    }
  }
  return '';
}

/** The cache key of a source under these options. */
function cacheKey(source: SourceFile, options: LoadOptions, runtimeUrl: string): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        CACHE_FORMAT,
        options.version,
        compilerFingerprint(),
        runtimeUrl,
        options.arch ?? '',
        source.path,
        source.text,
      ]),
    )
    .digest('hex');
}

async function importEngine(url: string): Promise<CompiledEngineClass> {
  const mod = (await import(url)) as { default?: CompiledEngineClass };
  if (typeof mod.default !== 'function') throw new Error(`internal error: ${url} has no engine class`);
  return mod.default;
}

/** Compiles (or finds in the cache) and imports the engines of a source. */
export async function loadProgram(source: SourceFile, options: LoadOptions): Promise<LoadedProgram> {
  const runtimeUrl = options.runtimeUrl ?? RUNTIME_URL;
  const key = cacheKey(source, options, runtimeUrl);
  const dir = options.cacheDir === null ? null : join(options.cacheDir, key.slice(0, 2), key);

  if (dir !== null) {
    const t0 = performance.now();
    const manifest = readManifest(join(dir, 'manifest.json'));
    if (manifest) {
      const engines = await Promise.all(
        manifest.engines.map(async ({ file, ...facts }) => ({
          ...facts,
          ctor: await importEngine(pathToFileURL(join(dir, file)).href),
        })),
      );
      return {
        ok: true,
        diagnostics: manifest.diagnostics,
        arch: manifest.arch,
        engines,
        cached: true,
        defaultWorkload: manifest.defaultWorkload,
        timings: { load: performance.now() - t0 },
      };
    }
  }

  const { compileForRun } = await import('./compile.js');
  const compiled = compileForRun(source, {
    version: options.version,
    runtimeUrl,
    ...(options.arch !== undefined ? { arch: options.arch } : {}),
  });
  if (!compiled.ok)
    return {
      ok: false,
      diagnostics: compiled.diagnostics,
      arch: compiled.arch,
      engines: [],
      cached: false,
      defaultWorkload: 'busy-loop',
      timings: compiled.timings,
    };

  const t0 = performance.now();
  // Choosing a workload builds every built-in; done once here, the choice is kept with the compiled engines.
  const involved = involvedEngines(compiled.modules, defaultEngines(compiled.modules));
  const defaultWorkload = defaultWorkloadFor(
    involved.flatMap((e) => e.events),
    involved.flatMap((e) => e.syscalls),
  );
  let urls: string[] | undefined;
  if (dir !== null)
    urls = store(
      dir,
      { format: CACHE_FORMAT, arch: compiled.arch, diagnostics: compiled.diagnostics, defaultWorkload, engines: [] },
      compiled.modules,
    );
  // Without a cache (or when it cannot be written) the modules load from data: URLs; they import the runtime by
  // its absolute file URL, which data: modules may do.
  urls ??= compiled.modules.map((m) => `data:text/javascript;charset=utf-8,${encodeURIComponent(m.js)}`);
  const engines = await Promise.all(
    compiled.modules.map(async ({ js: _js, ...facts }, i) => ({
      ...facts,
      ctor: await importEngine(urls[i] as string),
    })),
  );
  return {
    ok: true,
    diagnostics: compiled.diagnostics,
    arch: compiled.arch,
    engines,
    cached: false,
    defaultWorkload,
    timings: { ...compiled.timings, load: performance.now() - t0 },
  };
}

function readManifest(path: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    return m.format === CACHE_FORMAT ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a cache entry; returns the module URLs, or undefined when the cache cannot be written. */
function store(
  dir: string,
  facts: Manifest,
  modules: readonly (EngineFacts & { readonly js: string })[],
): string[] | undefined {
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  try {
    mkdirSync(tmp, { recursive: true });
    // File names are generated, never the engine's name: `engine-0.mjs`, `engine-1.mjs`, ….
    const engines = modules.map(({ js: _js, ...facts }, i) => ({ ...facts, file: `engine-${i}.mjs` }));
    modules.forEach((m, i) => writeFileSync(join(tmp, `engine-${i}.mjs`), m.js));
    const manifest: Manifest = { ...facts, engines };
    writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest));
    try {
      renameSync(tmp, dir);
    } catch {
      // Another run stored the same entry first: theirs is as good as ours.
      rmSync(tmp, { recursive: true, force: true });
    }
    return engines.map((e) => pathToFileURL(join(dir, e.file)).href);
  } catch {
    rmSync(tmp, { recursive: true, force: true });
    return undefined;
  }
}
