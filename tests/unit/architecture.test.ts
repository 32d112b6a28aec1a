/**
 * The architecture, checked over the import graph of app/, components/, lib/, db/ and instrumentation.ts. Every
 * import, export-from and literal dynamic `import('...')` is read with the TypeScript parser and resolved (`@/`,
 * relative paths, extensions, index files). The rules (ARCHITECTURE.md, "Rules the architecture test enforces"):
 *
 * 1. No import cycle. Runtime edges only: static value imports, export-from and literal dynamic imports; type-only
 *    imports are erased and cannot cycle at load time.
 * 2. The pure core (lib/core, lib/numeric, lib/stats, lib/align, and the pure modules listed in CORE_FILES) imports only the
 *    core: no package, no Node built-in, no other module (type imports included).
 * 3. components/ does not import db/ (type imports included): the row types they show come re-exported from lib/.
 * 4. db/ imports only db/, zod, drizzle-orm, better-sqlite3, pg and Node built-ins (type imports included); db/json.ts
 *    and its modules in db/json/, which client components reach through the domain schema modules, import only zod
 *    and each other.
 * 5. `.$client` (the raw better-sqlite3 connection) is used only in db/.
 * 6. Source file names (.ts, .tsx, .mts, .mjs) in app/, components/, lib/, db/ (not db/migrations) and tests/ are
 *    camelCase (React components PascalCase): no '-', except the file names Next.js prescribes (not-found.tsx, ...);
 *    route folders in app/ are URLs and are not file names.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { PersonaQueryFilter, PersonaQuerySort } from '@/db/queries/personas';
import type { ReviewQueue } from '@/db/queries/reviewQueue';
import type { SeedWorkspace } from '@/db/queries/seed';
import type { DemoWorkspace } from '@/lib/demo/workspace';
import type { PersonaFilter, PersonaSort } from '@/lib/personas/schema';
import type { ReviewQueueName } from '@/lib/review/schema';

const ROOT = path.resolve(__dirname, '../..');
const SOURCE_DIRS = ['app', 'components', 'lib', 'db'];
const SOURCE_FILES = ['instrumentation.ts'];

/** The pure core: these folders, and these files outside them (pure leaves the studio's Web Worker runs). */
const CORE_DIRS = ['lib/core/', 'lib/numeric/', 'lib/stats/', 'lib/align/'];
const CORE_FILES = [
  'lib/studio/live.ts',
  'lib/studio/liveTypes.ts',
  'lib/studio/liveFigures.ts',
  'lib/studio/liveSampling.ts',
  'lib/studio/liveSets.ts',
  'lib/studio/liveWeights.ts',
  'lib/targets/transform.ts',
];

/** Where the file-name rule applies (db/migrations holds drizzle-kit's generated names). */
const NAMED_DIRS = ['app', 'components', 'lib', 'db', 'tests'];
const NAMED_SKIP = ['db/migrations/'];
/** File names with a '-' that Next.js prescribes. */
const FRAMEWORK_NAMES = ['not-found.tsx', 'global-error.tsx', 'global-not-found.tsx', 'opengraph-image.tsx', 'twitter-image.tsx', 'apple-icon.tsx'];
/** Packages db/ may import (and their subpaths). */
const DB_PACKAGES = ['zod', 'drizzle-orm', 'better-sqlite3', 'pg'];

interface Edge {
  /** A repository path (a source file) or `pkg:<name>` for a package or built-in. */
  to: string;
  specifier: string;
  typeOnly: boolean;
  dynamic: boolean;
}

const rel = (abs: string) => path.relative(ROOT, abs).split(path.sep).join('/');

function listSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(rel(p));
    }
  };
  for (const d of SOURCE_DIRS) walk(path.join(ROOT, d));
  for (const f of SOURCE_FILES) if (existsSync(path.join(ROOT, f))) out.push(f);
  return out.sort();
}

/** Source files whose name breaks the convention (a '-' outside the framework's names). */
function kebabNamed(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = path.join(dir, name);
      const r = path.relative(root, p).split(path.sep).join('/');
      if (NAMED_SKIP.some((d) => r.startsWith(d))) continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx|mts|mjs)$/.test(name) && name.includes('-') && !FRAMEWORK_NAMES.includes(name)) out.push(r);
    }
  };
  for (const d of NAMED_DIRS) if (existsSync(path.join(root, d))) walk(path.join(root, d));
  return out.sort();
}

const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.js', '/index.ts', '/index.tsx'];

function resolve(from: string, specifier: string): string {
  let base: string | null = null;
  if (specifier.startsWith('@/')) base = path.join(ROOT, specifier.slice(2));
  else if (specifier.startsWith('.')) base = path.resolve(path.join(ROOT, path.dirname(from)), specifier);
  if (base === null) {
    const name = specifier.startsWith('node:') ? specifier : specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
    return `pkg:${name}`;
  }
  for (const ext of EXTENSIONS) {
    const p = base + ext;
    if (existsSync(p) && statSync(p).isFile()) return rel(p);
  }
  // a .js specifier of a .ts file
  const ts2 = base.replace(/\.js$/, '.ts');
  if (existsSync(ts2)) return rel(ts2);
  return `unresolved:${rel(base)}`;
}

function importsOf(file: string): Edge[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const edges: Edge[] = [];
  const add = (specifier: string, typeOnly: boolean, dynamic: boolean) => edges.push({ to: resolve(file, specifier), specifier, typeOnly, dynamic });
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const allTypes =
        !!c &&
        (c.isTypeOnly ||
          (!c.name && !!c.namedBindings && ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, allTypes, false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const allTypes =
        node.isTypeOnly || (!!node.exportClause && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier.text, allTypes, false);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node.moduleReference.expression.text, node.isTypeOnly, false);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) add(arg.text, false, true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      // `import('x').T` in a type position
      add(node.argument.literal.text, true, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

const FILES = listSources();
const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)]));
const SOURCE = new Map(FILES.map((f) => [f, readFileSync(path.join(ROOT, f), 'utf8')]));

const isCore = (f: string) => CORE_DIRS.some((d) => f.startsWith(d)) || CORE_FILES.includes(f);
const isBuiltin = (to: string) => {
  const name = to.slice(4);
  return name.startsWith('node:') || builtinModules.includes(name);
};

/** Strongly connected components of the runtime graph with more than one file (or a file importing itself). */
function cycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  const runtime = (f: string) => (GRAPH.get(f) ?? []).filter((e) => !e.typeOnly && GRAPH.has(e.to)).map((e) => e.to);
  const strong = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of runtime(v)) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || runtime(v).includes(v)) out.push(scc.sort());
    }
  };
  for (const f of FILES) if (!index.has(f)) strong(f);
  return out;
}

/** One concrete cycle through a component, for the message. */
function cyclePath(scc: string[]): string {
  const inScc = new Set(scc);
  const start = scc[0]!;
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const e of GRAPH.get(v) ?? []) {
      if (e.typeOnly || !inScc.has(e.to)) continue;
      if (e.to === start) {
        const p = [start];
        for (let x = v; x !== start; x = prev.get(x)!) p.splice(1, 0, x);
        return [...p, start].join(' -> ');
      }
      if (!prev.has(e.to)) {
        prev.set(e.to, v);
        queue.push(e.to);
      }
    }
  }
  return scc.join(', ');
}

describe('architecture', () => {
  it('reads the import graph', () => {
    expect(FILES.length).toBeGreaterThan(100);
    const unresolved = [...GRAPH].flatMap(([f, es]) => es.filter((e) => e.to.startsWith('unresolved:')).map((e) => `${f}: ${e.specifier}`));
    expect(unresolved).toEqual([]);
    // the parser sees what the rules are about
    expect(GRAPH.get('instrumentation.ts')!.some((e) => e.dynamic && e.to === 'lib/server/jobTable.ts')).toBe(true);
    expect(GRAPH.get('lib/targets/schema.ts')!.some((e) => !e.typeOnly && e.to === 'db/json.ts')).toBe(true);
  });

  it('has no import cycle (static and literal dynamic imports)', () => {
    expect(cycles().map(cyclePath)).toEqual([]);
  });

  it('keeps the pure core free of anything outside it', () => {
    const bad = FILES.filter(isCore).flatMap((f) => GRAPH.get(f)!.filter((e) => !isCore(e.to)).map((e) => `${f} imports ${e.specifier}`));
    expect(bad).toEqual([]);
  });

  it('keeps components away from db/', () => {
    const bad = FILES.filter((f) => f.startsWith('components/')).flatMap((f) =>
      GRAPH.get(f)!.filter((e) => e.to.startsWith('db/')).map((e) => `${f} imports ${e.specifier}`),
    );
    expect(bad, 'components must reach the database through lib/ services and the API (types re-exported from lib/)').toEqual([]);
  });

  it('lets db/ import only db/, zod, drizzle-orm, better-sqlite3, pg and Node built-ins', () => {
    const allowed = (e: Edge) =>
      e.to.startsWith('db/') || isBuiltin(e.to) || DB_PACKAGES.some((p) => e.to === `pkg:${p}`);
    const bad = FILES.filter((f) => f.startsWith('db/')).flatMap((f) => GRAPH.get(f)!.filter((e) => !allowed(e)).map((e) => `${f} imports ${e.specifier}`));
    expect(bad).toEqual([]);
    const json = FILES.filter((f) => f === 'db/json.ts' || f.startsWith('db/json/'));
    const badJson = json.flatMap((f) => GRAPH.get(f)!.filter((e) => e.to !== 'pkg:zod' && !json.includes(e.to)).map((e) => `${f} imports ${e.specifier}`));
    expect(badJson).toEqual([]);
  });

  it("declares db/'s query inputs as the domain types they take (checked by the typecheck)", () => {
    expectTypeOf<keyof PersonaFilter>().toEqualTypeOf<keyof PersonaQueryFilter>();
    expectTypeOf<PersonaFilter>().toExtend<PersonaQueryFilter>();
    expectTypeOf<PersonaSort>().toEqualTypeOf<PersonaQuerySort>();
    expectTypeOf<ReviewQueueName>().toEqualTypeOf<ReviewQueue>();
    expectTypeOf<DemoWorkspace>().toExtend<SeedWorkspace>();
  });

  it("names source files in camelCase (no '-' but the framework's names)", () => {
    expect(kebabNamed(ROOT), 'rename to camelCase (React components PascalCase)').toEqual([]);
  });

  it('uses the raw connection (.$client) only in db/', () => {
    const bad = FILES.filter((f) => !f.startsWith('db/') && /\.\$client\b/.test(SOURCE.get(f)!));
    expect(bad).toEqual([]);
  });
});
