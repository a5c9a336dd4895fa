/**
 * Latency of `composeExtension/submitAction` (form → meeting created → botMessagePreview) through the real HTTP
 * server, with the Graph stand-in answering after a fixed latency (default 800 ms). Not a test: prints p50/p95/p99.
 *
 *   NODE_EXTRA_CA_CERTS=.local/certs/ca.pem npx tsx bench/compose-submit.ts [--n 200] [--concurrency 10] [--latency 800]
 *
 * Target: p99 ≤ 1500 ms at 800 ms Graph latency. Half of the submits ask for a passcode (plain POST guarded by the
 * de-duplication claim), half don't (createOrGet); each makes exactly one Graph call. Convene logs at `warn` only.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { LOCAL_USERS, type LocalUser } from '../emulators/fixtures';
import { invokeActivity, signIn, startHarness } from '../test/support/harness';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const total = arg('n', 200);
  const concurrency = arg('concurrency', 10);
  const latency = arg('latency', 800);
  const user = LOCAL_USERS[0] as LocalUser;

  const h = await startHarness({ logLevel: 'warn' });
  await signIn(h, user);

  const start = DateTime.now().setZone('America/Los_Angeles').plus({ days: 2 }).startOf('hour');
  let failures = 0;
  async function submitOnce(i: number): Promise<number> {
    const activity = invokeActivity(
      h,
      'composeExtension/submitAction',
      {
        commandId: 'createMeeting',
        commandContext: 'compose',
        data: {
          nonce: randomUUID(),
          subject: `Bench ${i}`,
          date: start.toFormat('yyyy-MM-dd'),
          time: start.toFormat('HH:mm'),
          duration: '30',
          passcode: i % 2 === 0 ? 'true' : 'false',
          live: 'false',
        },
      },
      { user },
    );
    const t0 = performance.now();
    const res = await h.post(activity);
    const body = res.body as { composeExtension?: { type?: string } } | undefined;
    const ms = performance.now() - t0;
    if (res.status !== 200 || body?.composeExtension?.type !== 'botMessagePreview') failures++;
    return ms;
  }

  h.graph.setLatency(latency);
  for (let i = 0; i < 10; i++) await submitOnce(-i - 1); // warm-up: JIT, keep-alive sockets, token cache
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const samples: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) samples.push(await submitOnce(next++));
    }),
  );
  const wall = performance.now() - wall0;
  const cpu = process.cpuUsage(cpu0);
  samples.sort((a, b) => a - b);
  const fmt = (n: number) => `${n.toFixed(0)} ms`;
  const p99 = percentile(samples, 99);
  console.log(
    `compose submitAction: ${samples.length} submits, concurrency ${concurrency}, Graph latency ${latency} ms`,
  );
  console.log(
    `  p50 ${fmt(percentile(samples, 50))}  p95 ${fmt(percentile(samples, 95))}  p99 ${fmt(p99)}  max ${fmt(samples.at(-1) ?? NaN)}  min ${fmt(samples[0] ?? NaN)}`,
  );
  console.log(`  overhead over Graph latency at p50: ${fmt(percentile(samples, 50) - latency)}`);
  console.log(`  throughput ${(samples.length / (wall / 1000)).toFixed(1)} submits/s; failures ${failures}`);
  console.log(
    `  process CPU (bot + stand-ins in one process): user ${(cpu.user / 1000).toFixed(0)} ms, system ${(cpu.system / 1000).toFixed(0)} ms over ${fmt(wall)} wall (${((100 * (cpu.user + cpu.system)) / 1000 / wall).toFixed(0)}% of one core)`,
  );
  console.log(`  Graph meetings created: ${h.graph.meetings.length}; warnings logged: ${h.logs.length}`);
  console.log(`  target p99 ≤ 1500 ms: ${p99 <= 1500 ? 'met' : 'NOT met'}`);

  await h.close();
  if (failures > 0 || p99 > 1500) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
