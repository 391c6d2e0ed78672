import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench:profiles -- <dir> [--top=30]`: the profiles a benchmark wrote with
 * BENCH_CPU_PROF_DIR=<dir> (or BENCH_HEAP_PROF_DIR=<dir>), summed by where the code comes from (an
 * npm package, a part of Node, a folder of this repository, the garbage collector), in microseconds
 * of self time (or bytes allocated) per HTTP request, one column per process (service, floor, minimal, bare)
 * and, when both are there, the service's excess over the floor app: what the service spends beyond
 * what any charge must on this stack.
 */
interface CallFrame {
  functionName: string;
  url: string;
}
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
}
interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}

/** Self time (µs) or bytes allocated per origin. */
function summarise(file: string): Map<string, number> {
  const perOrigin = new Map<string, number>();
  const add = (key: string, amount: number) => perOrigin.set(key, (perOrigin.get(key) ?? 0) + amount);
  if (file.endsWith('.heapprofile')) {
    const walk = (node: HeapNode): void => {
      add(origin(node.callFrame), node.selfSize);
      node.children.forEach(walk);
    };
    walk((JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode }).head);
    return perOrigin;
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const originOf = new Map(profile.nodes.map((n) => [n.id, origin(n.callFrame)]));
  profile.samples.forEach((id, i) => add(originOf.get(id)!, profile.timeDeltas[i] ?? 0));
  return perOrigin;
}

/** `pkg axios`, `node _http_client`, `apps/payments/src/payment`, `(garbage collector)`, `(native) writev`. */
function origin({ functionName, url }: CallFrame): string {
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `pkg ${pkg[1]}`;
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/')[0]}`;
  return /(apps|libs|bench)\/[^/]+\/(src\/)?[^/.]+/.exec(url)?.[0] ?? url;
}

function main(): void {
  const [dir] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const top = Number(/--top=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 30);
  if (!dir) throw new Error('usage: npm run bench:profiles -- <BENCH_CPU_PROF_DIR or BENCH_HEAP_PROF_DIR> [--top=30]');
  const files = readdirSync(dir).filter((f) => /\.(cpu|heap)profile$/.test(f));
  const heap = files.some((f) => f.endsWith('.heapprofile'));
  const columns = new Map<string, Map<string, number>>();
  for (const file of files.filter((f) => f.endsWith(heap ? '.heapprofile' : '.cpuprofile'))) {
    const role = file.split('-')[0];
    const perOrigin = summarise(join(dir, file));
    const requests = Number(readFileSync(join(dir, file.replace(/\.\w+$/, '.requests')), 'utf8'));
    const perRequest = columns.get(role) ?? new Map<string, number>();
    for (const [key, us] of perOrigin) perRequest.set(key, (perRequest.get(key) ?? 0) + us / requests);
    columns.set(role, perRequest);
    console.log(`${file}: ${requests} requests`);
  }
  const roles = ['service', 'floor', 'minimal', 'bare'].filter((r) => columns.has(r));
  const excess = columns.has('service') && columns.has('floor');
  const keys = new Set([...columns.values()].flatMap((c) => [...c.keys()]));
  keys.delete('(idle)');
  const at = (role: string, key: string) => columns.get(role)?.get(key) ?? 0;
  const rows = [...keys].sort((a, b) => at(roles[0], b) - at(roles[0], a));
  const line = (cells: string[], label: string) => console.log(`${cells.map((c) => c.padStart(9)).join('')}  ${label}`);
  const unit = heap ? 'bytes allocated per request (sampled)' : 'µs of CPU (self time) per request';
  line([...roles, ...(excess ? ['excess'] : [])], `${unit}, by origin`);
  const total = (role: string) => rows.reduce((sum, key) => sum + at(role, key), 0);
  const cells = (get: (role: string) => number) => [
    ...roles.map((r) => get(r).toFixed(0)),
    ...(excess ? [(get('service') - get('floor')).toFixed(0)] : []),
  ];
  line(cells(total), heap ? 'all' : 'all but idle');
  for (const key of rows.slice(0, top))
    line(
      cells((role) => at(role, key)),
      key,
    );
}

main();
