// Writes a generated portal for the graph benchmark: 300 entities and 600 relations, with
// dependency cycles, as Markdown catalog tables plus a Backstage catalog-info.yaml, so it goes
// through the real build pipeline. Fixed seed: the same portal every run.
//
//   node bench/graph/gen.mjs OUT_DIR
//
// 20 features, 40 services, 60 controllers, 80 tables, 100 routes (300 entities);
// 60 feature→service, 60 service→controller, 80 service→table, 100 controller→route,
// 150 service→service dependsOn (cycles), 150 table→table references (cycles) (600 relations).

import fs from 'node:fs';
import path from 'node:path';

const out = process.argv[2];
if (!out) { console.error('usage: node gen.mjs OUT_DIR'); process.exit(2); }

let seed = 0x5eed1234;
const rand = (n) => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed % n; };

const services = Array.from({ length: 40 }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
const features = Array.from({ length: 20 }, (_, i) => `Feature ${String(i).padStart(2, '0')}`);
const controllers = Array.from({ length: 60 }, (_, i) => `Ctl${String(i).padStart(2, '0')}Controller`);
const tables = Array.from({ length: 80 }, (_, i) => `table_${String(i).padStart(2, '0')}`);
const routes = Array.from({ length: 100 }, (_, i) => ['GET', `/api/v1/r${String(i).padStart(3, '0')}`]);

// Distinct random pairs from `a` to `b`, no self pairs.
function pairs(count, a, b) {
  const seen = new Set();
  const res = [];
  while (res.length < count) {
    const x = a[rand(a.length)], y = b[rand(b.length)];
    const k = `${x}|${y}`;
    if (x === y || seen.has(k)) continue;
    seen.add(k);
    res.push([x, y]);
  }
  return res;
}

const owner = (list, i) => services[i % services.length];
const ctlOf = new Map(services.map((s) => [s, []]));
controllers.forEach((c, i) => ctlOf.get(owner(controllers, i)).push(c));
const tabOf = new Map(services.map((s) => [s, []]));
tables.forEach((t, i) => tabOf.get(owner(tables, i)).push(t));
const featureUses = features.map((f, i) => [f, [0, 1, 2].map((k) => services[(i * 2 + k * 7) % services.length])]);
const deps = pairs(150, services, services);
const refs = pairs(150, tables, tables);

fs.mkdirSync(out, { recursive: true });
const w = (f, s) => fs.writeFileSync(path.join(out, f), s);
w('README.md', '# Generated graph portal\n\nA benchmark portal: see [features](features.md), [services](services.md), [routes](routes.md), [tables](tables.md).\n');
w('features.md', '# Features\n\n| Feature | Services |\n|---|---|\n' + featureUses.map(([f, s]) => `| ${f} | ${s.join(', ')} |`).join('\n') + '\n');
w('services.md', '# Services\n\n| Service | Controllers | Database Tables |\n|---|---|---|\n' +
  services.map((s) => `| ${s} | ${ctlOf.get(s).join(', ')} | ${tabOf.get(s).join(', ')} |`).join('\n') + '\n');
w('routes.md', '# Routes\n\n| Method | Path | Controller | PII |\n|---|---|---|---|\n' +
  routes.map(([m, p], i) => `| ${m} | ${p} | ${controllers[i % controllers.length]}.handle${i} | ${i % 3 ? 'no' : 'yes'} |`).join('\n') + '\n');
const refsOf = new Map(tables.map((t) => [t, []]));
refs.forEach(([a, b]) => refsOf.get(a).push(b));
w('tables.md', '# Tables\n\n| Table | References |\n|---|---|\n' + tables.map((t) => `| ${t} | ${refsOf.get(t).join(', ') || '—'} |`).join('\n') + '\n');
const depsOf = new Map(services.map((s) => [s, []]));
deps.forEach(([a, b]) => depsOf.get(a).push(b));
w('catalog-info.yaml', services.map((s) => [
  'apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata:', `  name: ${s}`, 'spec:', '  type: service',
  `  dependsOn: [${depsOf.get(s).map((d) => `component:${d}`).join(', ')}]`,
].join('\n')).join('\n---\n') + '\n');
console.log(`wrote ${out}: 300 entities, ${60 + 60 + 80 + 100 + deps.length + refs.length} relations`);
