import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench:profiles -- <dir> [--top=30]`: the CPU profiles a benchmark wrote with
 * BENCH_CPU_PROF_DIR=<dir>, summed by where the code comes from (an npm package, a part of Node, a
 * folder of this repository, the garbage collector), in microseconds of self time per HTTP request,
 * one column per process (service, floor, bare) and, when both are there, the service's excess over
 * the floor app: what the service spends beyond what any charge must on this stack.
 */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time (µs) per origin, and the requests the profile covers. */
function summarise(file: string): { perOrigin: Map<string, number>; requests: number } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const originOf = new Map(profile.nodes.map((n) => [n.id, origin(n.callFrame)]));
  const perOrigin = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const key = originOf.get(id)!;
    perOrigin.set(key, (perOrigin.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const requests = Number(readFileSync(file.replace(/\.cpuprofile$/, '.requests'), 'utf8'));
  return { perOrigin, requests };
}

/** `pkg axios`, `node _http_client`, `apps/payments/src/payment`, `(garbage collector)`, `(native) writev`. */
function origin({ functionName, url }: { functionName: string; url: string }): string {
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `pkg ${pkg[1]}`;
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/')[0]}`;
  return /(apps|libs|bench)\/[^/]+\/(src\/)?[^/.]+/.exec(url)?.[0] ?? url;
}

function main(): void {
  const [dir] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const top = Number(/--top=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 30);
  if (!dir) throw new Error('usage: npm run bench:profiles -- <BENCH_CPU_PROF_DIR> [--top=30]');
  const columns = new Map<string, Map<string, number>>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const role = file.split('-')[0];
    const { perOrigin, requests } = summarise(join(dir, file));
    const perRequest = columns.get(role) ?? new Map<string, number>();
    for (const [key, us] of perOrigin) perRequest.set(key, (perRequest.get(key) ?? 0) + us / requests);
    columns.set(role, perRequest);
    console.log(`${file}: ${requests} requests`);
  }
  const roles = ['service', 'floor', 'bare'].filter((r) => columns.has(r));
  const excess = columns.has('service') && columns.has('floor');
  const keys = new Set([...columns.values()].flatMap((c) => [...c.keys()]));
  keys.delete('(idle)');
  const at = (role: string, key: string) => columns.get(role)?.get(key) ?? 0;
  const rows = [...keys].sort((a, b) => at(roles[0], b) - at(roles[0], a));
  const line = (cells: string[], label: string) => console.log(`${cells.map((c) => c.padStart(9)).join('')}  ${label}`);
  line([...roles, ...(excess ? ['excess'] : [])], 'µs of CPU (self time) per request, by origin');
  const total = (role: string) => rows.reduce((sum, key) => sum + at(role, key), 0);
  const cells = (get: (role: string) => number) => [
    ...roles.map((r) => get(r).toFixed(0)),
    ...(excess ? [(get('service') - get('floor')).toFixed(0)] : []),
  ];
  line(cells(total), 'all but idle');
  for (const key of rows.slice(0, top))
    line(
      cells((role) => at(role, key)),
      key,
    );
}

main();
