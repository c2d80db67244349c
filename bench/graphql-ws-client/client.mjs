// The fan-out's subscribers in one Node process, with the `graphql-ws` client over `ws`
// (as an integrator would run them). Driven by bench/fanout.py over stdin/stdout, one
// JSON object a line:
//   argv: <ws url> <subscribers>; env FANOUT_TOKEN; the subscription document on stdin's
//   first line as {"query": ...}
//   -> {"type": "ready"}        every connection acknowledged and subscribed
//   -> {"type": "warm"}         every subscriber has received an event
//   <- {"type": "reset"}        forget what was received; -> {"type": "reset"}
//   <- {"type": "collect", "events": N, "seconds": S}
//   -> {"type": "result", "received": [[[cursor, text, epochMs, occurredAt], ...], ...],
//       "cpu": seconds}
// once every subscriber has N events (or S seconds have passed), then it exits; `cpu` is
// the process's user and system CPU since the reset.
import { createInterface } from "node:readline";
import { performance } from "node:perf_hooks";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [url, count] = [process.argv[2], Number(process.argv[3])];
const token = process.env.FANOUT_TOKEN;
const lines = createInterface({ input: process.stdin });
const queue = [];
let waiting = null;
lines.on("line", (line) => {
  const message = JSON.parse(line);
  if (waiting) {
    const resolve = waiting;
    waiting = null;
    resolve(message);
  } else queue.push(message);
});
const next = () =>
  queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => (waiting = r));
const say = (message) => process.stdout.write(JSON.stringify(message) + "\n");
const now = () => performance.timeOrigin + performance.now();

const { query } = await next();
const received = Array.from({ length: count }, () => []);
const clients = [];
let warm = false;
let cpuAtReset = process.cpuUsage();

function subscribe(index) {
  return new Promise((connected, failed) => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      keepAlive: 0,
      connectionParams: { Authorization: `Bearer ${token}` },
      on: { connected: () => connected(), error: failed },
    });
    clients.push(client);
    client.subscribe(
      { query },
      {
        next: ({ data, errors }) => {
          if (errors) throw new Error(JSON.stringify(errors));
          const event = data.petitionEvents;
          received[index].push([event.cursor, event.data.text, now(), event.occurredAt]);
          if (!warm && received.every((r) => r.length > 0)) {
            warm = true;
            say({ type: "warm" });
          }
        },
        error: (error) => {
          console.error("subscription", index, error);
          process.exit(2);
        },
        complete: () => {},
      },
    );
  });
}

// connect in small waves: the server's accept queue is finite
for (let start = 0; start < count; start += 50) {
  const wave = [];
  for (let i = start; i < Math.min(count, start + 50); i++) wave.push(subscribe(i));
  await Promise.all(wave);
}
say({ type: "ready" });

for (;;) {
  const command = await next();
  if (command.type === "reset") {
    for (const r of received) r.length = 0;
    cpuAtReset = process.cpuUsage();
    say({ type: "reset" });
  } else if (command.type === "collect") {
    const deadline = now() + command.seconds * 1000;
    while (received.some((r) => r.length < command.events) && now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const used = process.cpuUsage(cpuAtReset);
    const cpu = (used.user + used.system) / 1e6;
    await Promise.all(clients.map((c) => c.dispose()));
    // exit once the (long) line is written: a pipe takes it in pieces
    process.stdout.write(JSON.stringify({ type: "result", received, cpu }) + "\n", () =>
      process.exit(0),
    );
    break;
  }
}
