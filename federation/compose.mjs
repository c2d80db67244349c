// Composes the subgraphs of supergraph.yaml into supergraph.graphql.
//
//   node compose.mjs [supergraph.yaml] [--out supergraph.graphql] [--apollo] [--json]
//
// Composition is The Guild's @theguild/federation-composition (MIT), which Hive Gateway
// serves. --apollo also composes with Apollo's @apollo/composition (a second opinion,
// with its hints). Exits non-zero on any composition error.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { loadConfig } from './config.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const configPath = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--out');
const config = loadConfig(configPath);
const out = resolve(option('--out', resolve(config.file, '..', 'supergraph.graphql')));

async function sdlOf(subgraph) {
  if (subgraph.schemaFile) return readFileSync(subgraph.schemaFile, 'utf8');
  const response = await fetch(subgraph.schemaUrl ?? subgraph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.json();
  if (!body.data?._service?.sdl) {
    throw new Error(`${subgraph.name}: no _service { sdl } at ${subgraph.url}`);
  }
  return body.data._service.sdl;
}

const services = [];
for (const subgraph of config.subgraphs) {
  services.push({ name: subgraph.name, url: subgraph.url, typeDefs: parse(await sdlOf(subgraph)) });
}

const report = { subgraphs: services.map((s) => s.name), errors: [], hints: [], apollo: null };
const result = composeServices(services);
if (result.errors?.length) {
  report.errors = result.errors.map((e) => ({ code: e.extensions?.code, message: e.message }));
} else {
  writeFileSync(out, result.supergraphSdl);
  report.supergraph = out;
  report.hints = (result.hints ?? []).map((h) => ({ code: h.extensions?.code, message: h.message }));
}

if (flag('--apollo')) {
  const apollo = await import('@apollo/composition');
  const composed = apollo.composeServices(services);
  report.apollo = {
    errors: (composed.errors ?? []).map((e) => ({ code: e.extensions?.code, message: e.message })),
    hints: (composed.hints ?? []).map((h) => ({ code: h.definition.code, message: h.message })),
  };
}

if (flag('--json')) {
  console.log(JSON.stringify(report, null, 2));
} else {
  for (const e of report.errors) console.error(`error ${e.code}: ${e.message}`);
  for (const h of report.hints) console.warn(`hint ${h.code}: ${h.message}`);
  for (const e of report.apollo?.errors ?? []) console.error(`apollo error ${e.code}: ${e.message}`);
  for (const h of report.apollo?.hints ?? []) console.warn(`apollo hint ${h.code}: ${h.message}`);
  if (report.supergraph) {
    console.log(`composed ${report.subgraphs.join(', ')} into ${report.supergraph}`);
  }
}
process.exit(report.errors.length || report.apollo?.errors.length ? 1 : 0);
