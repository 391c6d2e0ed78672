// Fails when the service's modules (the top-level folders of apps/payments/src) import each other
// in a cycle: dependencies between modules must point one way (docs/architecture.md).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const root = 'apps/payments/src';
const moduleOf = (file) => {
  const parts = relative(root, file).split(sep);
  return parts.length > 1 ? parts[0] : '(root)';
};

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) yield path;
  }
}

const edges = new Map();
for (const file of sources(root)) {
  const from = moduleOf(file);
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from\s+['"](\.[^'"]+)['"]/g)) {
    const to = moduleOf(normalize(join(dirname(file), spec)));
    if (to !== from && from !== '(root)') (edges.get(from) ?? edges.set(from, new Set()).get(from)).add(to);
  }
}

const cycles = [];
const visit = (node, path) => {
  for (const next of edges.get(node) ?? []) {
    if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(' -> '));
    else visit(next, [...path, next]);
  }
};
for (const node of edges.keys()) visit(node, [node]);

if (cycles.length > 0) {
  console.error(`Module cycles in ${root}:\n${[...new Set(cycles)].map((c) => `  ${c}`).join('\n')}`);
  process.exit(1);
}
console.log(`No module cycles among ${edges.size} modules of ${root}.`);
