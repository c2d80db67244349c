// The court station's case system as a subgraph of the district's graph.
//
// It keeps its own cases (here a JSON file; in a court, its case database) and joins
// them to the hub's appeals and enterprises. It trusts no one by default: every request
// carries the caller's own hub token, forwarded by the federation point, and the
// system asks the hub who that is (`me`) before it shares court data.
//
//   HUB_URL=http://127.0.0.1:8000/graphql COURT_CASES=cases.json PORT=4001 node server.mjs

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';

const HUB_URL = process.env.HUB_URL ?? 'http://127.0.0.1:8000/graphql';
const CASES_FILE = process.env.COURT_CASES ?? new URL('./cases.json', import.meta.url).pathname;
const PORT = Number(process.env.PORT ?? 4001);
// Who may read court data besides judgments (which are public).
const SHARES_WITH = new Set((process.env.COURT_SHARES_WITH ?? 'PS-COURT,PS-HALL').split(','));
const CALLER_TTL_MS = 30_000;

const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

// --- the court's own records ----------------------------------------------------
let records = { cases: [], judgments: [] };
let recordsStamp = 0;

function court() {
  // Re-read when the file changes, so a clerk's export is picked up without a restart.
  const stamp = statSync(CASES_FILE).mtimeMs;
  if (stamp !== recordsStamp) {
    records = JSON.parse(readFileSync(CASES_FILE, 'utf8'));
    recordsStamp = stamp;
  }
  return records;
}

function judgmentOf(caseNumber) {
  return court().judgments.find((j) => j.caseNumber === caseNumber) ?? null;
}

// --- who is calling: the hub answers, once per token per 30 s -------------------
const callers = new Map();

async function whoIs(authorization) {
  if (!authorization) return null;
  const key = createHash('sha256').update(authorization).digest('hex');
  const known = callers.get(key);
  if (known && known.until > Date.now()) return known.caller;
  const response = await fetch(HUB_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: '{ me { name organisation { code } } }' }),
    signal: AbortSignal.timeout(5000),
  });
  const body = await response.json();
  const caller = body.data?.me ? { organisation: body.data.me.organisation.code } : null;
  if (callers.size >= 10_000) callers.clear(); // a flood of unknown tokens costs no memory
  callers.set(key, { caller, until: Date.now() + CALLER_TTL_MS });
  return caller;
}

function requireCaller(context) {
  if (!context.caller) {
    throw new GraphQLError('a valid hub token is required', {
      extensions: { code: 'UNAUTHENTICATED' },
    });
  }
  return context.caller;
}

const sharesCourtData = (context) => SHARES_WITH.has(requireCaller(context).organisation);

// --- the resolvers ---------------------------------------------------------------
const encode = (index) => Buffer.from(`case:${index}`).toString('base64url');
const decode = (cursor) => {
  const match = /^case:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) {
    throw new GraphQLError('not a cursor this API gave', {
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
  }
  return Number(match[1]);
};

function courtCase(row) {
  return {
    caseNumber: row.caseNumber,
    kind: row.kind,
    stage: row.stage,
    cause: row.cause,
    filedAt: row.filedAt,
    petition: { __typename: 'Petition', id: row.petitionId },
    enterprise: row.enterpriseUscc ? { __typename: 'Enterprise', uscc: row.enterpriseUscc } : null,
    judgment: judgmentOf(row.caseNumber),
  };
}

const resolvers = {
  Query: {
    courtCases(_, { first, after }, context) {
      if (first < 1 || first > 100) {
        throw new GraphQLError('first must be between 1 and 100', {
          extensions: { code: 'BAD_USER_INPUT', field: 'first' },
        });
      }
      const cases = sharesCourtData(context)
        ? [...court().cases].sort((a, b) => b.filedAt.localeCompare(a.filedAt))
        : [];
      const start = after ? decode(after) + 1 : 0;
      const page = cases.slice(start, start + first);
      return {
        edges: page.map((row, i) => ({ cursor: encode(start + i), node: courtCase(row) })),
        pageInfo: {
          hasNextPage: start + first < cases.length,
          endCursor: page.length ? encode(start + page.length - 1) : null,
        },
        totalCount: cases.length,
      };
    },
  },
  Petition: {
    // The federation point only asks about appeals the hub showed this caller; the
    // court still shares its own data only with whom it chooses.
    courtCase(petition, _, context) {
      if (!sharesCourtData(context)) return null;
      const row = court().cases.find((c) => c.petitionNumber === petition.number);
      return row ? courtCase(row) : null;
    },
  },
  Enterprise: {
    judgments(enterprise, _, context) {
      requireCaller(context);
      const numbers = new Set(
        court().cases.filter((c) => c.enterpriseUscc === enterprise.uscc).map((c) => c.caseNumber),
      );
      return court()
        .judgments.filter((j) => numbers.has(j.caseNumber))
        .sort((a, b) => b.decidedOn.localeCompare(a.decidedOn));
    },
  },
};

const server = new ApolloServer({
  schema: buildSubgraphSchema([{ typeDefs, resolvers }]),
  introspection: true,
  includeStacktraceInErrorResponses: false,
});

const { url } = await startStandaloneServer(server, {
  listen: { host: process.env.HOST ?? '127.0.0.1', port: PORT },
  context: async ({ req }) => ({ caller: await whoIs(req.headers.authorization) }),
});
console.log(`court cases subgraph ready at ${url}`);
