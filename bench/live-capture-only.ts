/**
 * The capture path alone, for bench:live: libpcap through the patched cap into
 * batches, and nothing after. Prints {"packets","cpuSeconds","counters"} once
 * the given seconds are over. Usage: live-capture-only IFACE PORT SECONDS
 */
import { limitsWith } from '../src/config/limits.js';
import { openLive } from '../src/source/live.js';

const [iface, port, seconds] = process.argv.slice(2);
const source = await openLive({
  interface: iface!, filter: `tcp port ${port}`, snapLength: 262_144,
  bufferBytes: 32 << 20, limits: limitsWith(),
});
process.stderr.write(`capturing on ${iface}\n`);
let packets = 0;
const reading = (async () => {
  for await (const batch of source.batches()) packets += batch.length;
})();
const before = process.cpuUsage();
setTimeout(() => source.stop(), Number(seconds) * 1000);
await reading;
const cpu = process.cpuUsage(before);
process.stdout.write(JSON.stringify({
  packets, cpuSeconds: (cpu.user + cpu.system) / 1e6, counters: source.counters(),
}) + '\n');
