import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/**
 * axios sets TCP keep-alive probes to 60 s on every request's socket; an agent that keeps a socket
 * sets them back to its own `keepAliveMsecs` (1 s by default). The same value spares a system call
 * each way per request.
 */
const TCP_KEEP_ALIVE_PROBE_MS = 60_000;

/** One registration's connections to the gateway (and its receipt host), for plain and TLS URLs. */
export interface GatewayAgents {
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;
}

/**
 * Agents that keep a connection open for `idleMs` after its answer, for the next request to reuse
 * (0: a connection per request). The most recently used connection is taken first (`lifo`): the
 * least likely to be closed by the server at the very moment it is reused. Neither Node nor axios
 * re-sends a request whose connection breaks, so a reused connection the server had closed is a
 * reset that the adapter reports as such (outcome unknown for a money call), never a second send.
 */
export function gatewayAgents(idleMs: number): GatewayAgents {
  const options: AgentOptions =
    idleMs > 0
      ? { keepAlive: true, timeout: idleMs, scheduling: 'lifo', keepAliveMsecs: TCP_KEEP_ALIVE_PROBE_MS }
      : { keepAlive: false };
  return { httpAgent: new HttpAgent(options), httpsAgent: new HttpsAgent(options) };
}
