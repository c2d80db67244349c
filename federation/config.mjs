// Reads supergraph.yaml: the one place the federation point is configured.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

// ${VAR} and ${VAR:-default}, from the environment.
function expand(text) {
  return text.replace(/\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g, (_, name, fallback) => {
    const value = process.env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new Error(`supergraph.yaml needs the environment variable ${name}`);
  });
}

export function loadConfig(path = process.env.SUPERGRAPH_CONFIG ?? 'supergraph.yaml') {
  const file = resolve(path);
  const config = parse(expand(readFileSync(file, 'utf8')));
  const base = dirname(file);
  const subgraphs = Object.entries(config.subgraphs ?? {}).map(([name, entry]) => {
    if (!entry.routing_url) throw new Error(`subgraph ${name} has no routing_url`);
    const schema = entry.schema ?? {};
    return {
      name,
      url: entry.routing_url,
      schemaFile: schema.file ? resolve(base, schema.file) : undefined,
      schemaUrl: schema.subgraph_url,
      forwardHeaders: (entry.forward_headers ?? ['authorization']).map((h) => h.toLowerCase()),
      timeoutMs: Number(entry.timeout_ms ?? 5000),
      subscriptions: entry.subscriptions,
    };
  });
  if (!subgraphs.length) throw new Error(`${file} lists no subgraphs`);
  return {
    file,
    federationVersion: String(config.federation_version ?? '2.7'),
    port: Number(config.gateway?.port ?? 4000),
    callerTtlMs: Number(config.gateway?.caller_ttl_seconds ?? 30) * 1000,
    subgraphs,
  };
}
