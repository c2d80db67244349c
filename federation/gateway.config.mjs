// Hive Gateway's configuration for the district's federation point. Everything it
// needs comes from supergraph.yaml (see config.mjs): ports, subgraph URLs, which
// headers each subgraph receives, timeouts and subscriptions.
//
//   npx hive-gateway supergraph supergraph.graphql     (make federation)
import { createHash } from 'node:crypto';
import { defineConfig } from '@graphql-hive/gateway';
import { GraphQLError } from 'graphql';
import { loadConfig } from './config.mjs';

const config = loadConfig();
const subgraphs = new Map(config.subgraphs.map((s) => [s.name, s]));
const hub = subgraphs.get('hub');
const wsEntries = Object.fromEntries(
  config.subgraphs
    .filter((s) => s.subscriptions)
    .map((s) => [
      s.name,
      {
        options: {
          subscriptions: {
            kind: 'ws',
            location: s.subscriptions.path ?? '/graphql',
            options: {
              // graphql-transport-ws: the caller's token travels in connection_init,
              // as the hub expects it ({"Authorization": "Bearer …"}).
              connectionParams: { Authorization: '{context.connectionParams.Authorization}' },
            },
          },
        },
      },
    ]),
);

// The caller's token, from an HTTP header or a WebSocket's connection_init.
function authorizationOf(context) {
  return (
    context?.request?.headers?.get('authorization') ??
    context?.connectionParams?.Authorization ??
    context?.connectionParams?.authorization ??
    null
  );
}

// Who the caller is, as the hub says (its `me`), kept caller_ttl_seconds per token:
// the router enforces @requiresScopes and @policy with it before planning. The hub
// and each partner still decide for themselves on every request.
const callers = new Map();
const MAX_CALLERS = 10_000;
// The hub could not say (down or slow): the router refuses nothing and leaves every
// decision to the subgraphs, whose own errors then reach the caller.
const UNKNOWN = Object.freeze({ unknown: true, scopes: [], organisation: null });

function remember(key, caller) {
  if (callers.size >= MAX_CALLERS) {
    const now = Date.now();
    for (const [k, v] of callers) if (v.until <= now) callers.delete(k);
    if (callers.size >= MAX_CALLERS) callers.clear(); // a flood of unknown tokens
  }
  callers.set(key, { caller, until: Date.now() + config.callerTtlMs });
}

async function resolveCaller(context) {
  const authorization = authorizationOf(context);
  if (!authorization) return null;
  const key = createHash('sha256').update(authorization).digest('hex');
  const known = callers.get(key);
  if (known && known.until > Date.now()) return known.caller;
  let caller = null;
  try {
    const response = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: '{ me { scopes organisation { code kind } } }' }),
      signal: AbortSignal.timeout(hub.timeoutMs),
    });
    const me = (await response.json()).data?.me;
    caller = me ? { scopes: me.scopes, organisation: me.organisation } : null;
  } catch {
    return UNKNOWN; // kept for no time: the next request asks again
  }
  remember(key, caller);
  return caller;
}

// [[a, b], [c]] means (a and b) or c, as @requiresScopes and @policy define it.
const satisfied = (required, held) =>
  !required?.length || required.some((all) => [].concat(all).every((x) => held.includes(x)));

// The router's refusals carry the hub's codes: UNAUTHENTICATED without a valid token,
// FORBIDDEN without the scope or policy; the field is left out, the rest is answered.
function validateCaller({ user, fieldNode, path, ...rules }) {
  const guarded = [rules.typeScopes, rules.fieldScopes, rules.typePolicies, rules.fieldPolicies];
  if (!guarded.some((r) => r?.length) && !rules.fieldAuthArgs && !rules.typeAuthArgs) return;
  const error = (message, code) =>
    new GraphQLError(message, { nodes: [fieldNode], path, extensions: { code } });
  if (!user) return error('a valid token is required', 'UNAUTHENTICATED');
  if (user.unknown) return;
  const scopes = [rules.typeScopes, rules.fieldScopes];
  const policies = [rules.typePolicies, rules.fieldPolicies];
  if (!scopes.every((r) => satisfied(r, rules.userScopes))) {
    return error(`this needs the scope ${JSON.stringify(rules.fieldScopes ?? rules.typeScopes)}`,
      'FORBIDDEN');
  }
  if (!policies.every((r) => satisfied(r, rules.userPolicies))) {
    return error('this is not open to the caller\'s organisation', 'FORBIDDEN');
  }
}

// Errors of the hub and partners pass through with their codes, without the subgraph's
// address or query. A partner that cannot be reached is DOWNSTREAM_SERVICE_ERROR, one
// that does not answer within its timeout_ms GATEWAY_TIMEOUT, both naming it
// (serviceName); the gateway's own unexpected errors are masked.
const UNREACHABLE = new Set(['SUBREQUEST_HTTP_ERROR', 'DOWNSTREAM_SERVICE_ERROR']);

function maskUpstreamError(error, message) {
  const { request, response, ...extensions } = error?.extensions ?? {};
  const where = { nodes: error?.nodes, source: error?.source, positions: error?.positions,
    path: error?.path };
  const { serviceName, code } = extensions;
  if (serviceName && UNREACHABLE.has(code)) {
    return new GraphQLError(`the ${serviceName} subgraph could not be reached`, {
      ...where, extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName },
    });
  }
  if (serviceName && code === 'GATEWAY_TIMEOUT') {
    const limit = subgraphs.get(serviceName)?.timeoutMs;
    return new GraphQLError(`the ${serviceName} subgraph did not answer within ${limit} ms`, {
      ...where, extensions: { code, serviceName },
    });
  }
  if (error?.name === 'GraphQLError' && code) {
    return new GraphQLError(error.message, { ...where, extensions });
  }
  return new GraphQLError(message, { ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

export const gatewayConfig = defineConfig({
  port: config.port,
  host: process.env.FEDERATION_HOST ?? '127.0.0.1',
  supergraph: process.env.SUPERGRAPH_FILE ?? 'supergraph.graphql',
  // Each subgraph receives only the headers supergraph.yaml lists for it.
  propagateHeaders: {
    fromClientToSubgraphs({ context, request, subgraphName }) {
      const subgraph = subgraphs.get(subgraphName);
      if (!subgraph) return {};
      const headers = {};
      for (const name of subgraph.forwardHeaders) {
        const value = request.headers.get(name);
        if (value) headers[name] = value;
      }
      // Over a WebSocket the token came in connection_init, not on the upgrade request.
      const token = authorizationOf(context);
      if (token && subgraph.forwardHeaders.includes('authorization')) {
        headers.authorization = token;
      }
      return headers;
    },
  },
  // A subgraph that does not answer in time turns its own fields into errors.
  upstreamTimeout: ({ subgraphName }) => subgraphs.get(subgraphName)?.timeoutMs,
  subgraphErrors: { errorCode: 'DOWNSTREAM_SERVICE_ERROR', subgraphName: 'serviceName' },
  transportEntries: wsEntries,
  genericAuth: {
    mode: 'protect-granular',
    rejectUnauthenticated: false, // the hub answers UNAUTHENTICATED itself
    resolveUserFn: resolveCaller,
    validateUser: validateCaller,
    extractScopes: (caller) => caller?.scopes ?? [],
    // @policy(policies: [["hall"]]): the appeals hall's own callers.
    extractPolicies: (caller) => (caller?.organisation?.kind === 'APPEALS_HALL' ? ['hall'] : []),
  },
  maskedErrors: { maskError: maskUpstreamError },
  landingPage: false,
});
