import { cpus, loadavg, totalmem } from 'node:os';
import { Client } from 'pg';

/** What the numbers were measured on. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  postgres: string;
  loadAverage: number;
}

export async function describeMachine(postgresUrl: string): Promise<Machine> {
  const client = new Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      postgres: rows[0].server_version,
      loadAverage: loadavg()[0],
    };
  } finally {
    await client.end();
  }
}

export const describe = (m: Machine): string =>
  `${m.cores} × ${m.cpu}, ${m.memoryGb} GB RAM, Node ${m.node}, PostgreSQL ${m.postgres}, load average ${m.loadAverage.toFixed(2)} at the start`;
