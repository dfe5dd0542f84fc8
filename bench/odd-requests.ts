// npx tsx bench/odd-requests.ts <base URL> <METRICS_TOKEN> [count]: sends `count` (10,000) unauthenticated
// odd requests (ids with : @ , ; + %41, long paths, a Host with a slash) and prints the web process's
// resident memory and the number of etl_api_* series before and after, from /metrics. Issue 24: before
// the route labels were templates, 10,000 such requests and one scrape took the heap to its cap.
import http from 'node:http';

const [base, token, countArg] = process.argv.slice(2);
if (!base || !token) throw new Error('usage: bench/odd-requests.ts <base URL> <METRICS_TOKEN> [count]');
const count = Number(countArg ?? 10_000);
const { hostname, port } = new URL(base);

async function scrape() {
  const text = await (
    await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } })
  ).text();
  const rss = Number(/^process_resident_memory_bytes (\S+)/m.exec(text)?.[1] ?? NaN);
  const series = text.split('\n').filter((l) => l.startsWith('etl_api_')).length;
  return { rss: Math.round(rss / 1024 / 1024), series, bytes: text.length };
}

function send(i: number): Promise<void> {
  const odd = [':', '@', ',', ';', '+', '%41'];
  const id = `${odd[i % odd.length]}${i}${'x'.repeat(i % 7 === 0 ? 2_000 : 10)}`;
  const path = [`/etl-mgr/api/runs/${id}`, `/etl-mgr/api/runs/${id}/logs`, `/etl-mgr/api/${id}`][i % 3];
  return new Promise((resolve) => {
    const req = http.request(
      { hostname, port, path, agent: false, headers: { host: i % 2 ? `h${i}/x` : `${hostname}:${port}` } },
      (res) => res.resume().on('end', resolve),
    );
    req.on('error', () => resolve());
    req.end();
  });
}

const before = await scrape();
const started = performance.now();
for (let i = 0; i < count; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => send(i + j)));
const seconds = (performance.now() - started) / 1000;
const after = await scrape();
console.log(`${count} odd requests in ${seconds.toFixed(1)} s`);
console.log(`before: RSS ${before.rss} MiB, ${before.series} etl_api_ lines, /metrics ${before.bytes} bytes`);
console.log(`after:  RSS ${after.rss} MiB, ${after.series} etl_api_ lines, /metrics ${after.bytes} bytes`);
