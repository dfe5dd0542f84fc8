import ipaddr from 'ipaddr.js';
import { networkInterfaces } from 'node:os';
import { parseAllowedHosts } from '../../server/net/address-policy';
import { launch as startProcess } from '../spawner';
import { toolPath } from './tools';

// A networked run's egress: the run has its own network namespace; slirp4netns (a user-mode TCP/IP stack)
// carries its traffic out, with no port forwarded in and the host's loopback cut off
// (--disable-host-loopback). Since slirp4netns connects from the host's namespace, the run's own
// namespace gets nftables rules first, refusing what HTTP jobs may not reach either: loopback, private,
// link-local (metadata), CGNAT and other special ranges, and every address of the host itself, unless
// HTTP_JOBS_ALLOWED_HOSTS opens an address or CIDR.

/** slirp4netns' fixed addresses inside the run (its defaults, 10.0.2.0/24). */
export const SLIRP_DNS = '10.0.2.3';

/** Every IPv4 range ipaddr.js does not call unicast: what address-policy.ts refuses. */
function refusedRanges(): string[] {
  const ranges = (ipaddr.IPv4.prototype as unknown as { SpecialRanges: Record<string, unknown> })
    .SpecialRanges as Record<string, [ipaddr.IPv4, number] | [ipaddr.IPv4, number][]>;
  return Object.values(ranges).flatMap((entry) =>
    (Array.isArray(entry[0]) ? (entry as [ipaddr.IPv4, number][]) : [entry as [ipaddr.IPv4, number]]).map(
      ([ip, bits]) => `${ip.toString()}/${bits}`,
    ),
  );
}

/** The host's own IPv4 addresses, loopback excluded (covered by its range). */
export function hostAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

/**
 * The nftables rules of a networked run's namespace (`nft -f -`). IPv6 has no route out (slirp4netns
 * without --enable-ipv6) and is refused anyway. Host names in HTTP_JOBS_ALLOWED_HOSTS are not resolved
 * here: only its addresses and CIDRs open anything for command runs.
 */
export function nftRules(
  allowedHostsText = process.env.HTTP_JOBS_ALLOWED_HOSTS,
  host: string[] = hostAddresses(),
): string {
  const allowed = parseAllowedHosts(allowedHostsText).flatMap((entry) => {
    if (!entry.cidr || entry.cidr[0].kind() !== 'ipv4') return [];
    const target = `ip daddr ${entry.cidr[0].toString()}/${entry.cidr[1]}`;
    return entry.port === undefined
      ? [`${target} accept`]
      : [`${target} tcp dport ${entry.port} accept`, `${target} udp dport ${entry.port} accept`];
  });
  const refused = [...new Set([...host.map((a) => `${a}/32`), ...refusedRanges()])];
  return [
    'table inet etl_run {',
    '  chain output {',
    '    type filter hook output priority 0; policy accept;',
    '    oifname "lo" accept',
    `    ip daddr ${SLIRP_DNS} udp dport 53 accept`,
    `    ip daddr ${SLIRP_DNS} tcp dport 53 accept`,
    ...allowed.map((rule) => `    ${rule}`),
    `    ip daddr { ${refused.join(', ')} } reject with icmp type admin-prohibited`,
    '    meta nfproto ipv6 reject with icmpv6 type admin-prohibited',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** `nsenter` arguments that run `nft -f -` in the run's network namespace (the worker is root). */
export function nftCommand(nsenter: string, nft: string, childPid: number): string[] {
  return [nsenter, `--target=${childPid}`, '--net', '--', nft, '-f', '-'];
}

/**
 * slirp4netns for the run's namespace; it writes "1" on stdout once the interface is up. By path: by
 * pid it would join the run's user namespace first, which bwrap nests, and lose its rights over the
 * network namespace's owner.
 */
export function slirpCommand(slirp: string, childPid: number): string[] {
  const target = ['--netns-type=path', `/proc/${childPid}/ns/net`];
  return [
    slirp,
    '--configure',
    '--mtu=65520',
    '--disable-host-loopback',
    '--enable-sandbox',
    '--ready-fd=1',
    ...target,
    'tap0',
  ];
}

/** Runs a helper through the worker's spawner; resolves with its exit code and stderr. */
function helper(
  argv: string[],
  stdin: string,
  onStdout?: (text: string, pid: number) => void,
): { done: Promise<{ code: number | null; stderr: string }>; pid: () => number | undefined } {
  let pid: number | undefined;
  let stderr = '';
  let stdout = '';
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    startProcess(
      {
        file: argv[0],
        args: argv.slice(1),
        options: { detached: true, env: { PATH: process.env.PATH ?? '' } as unknown as NodeJS.ProcessEnv },
        stdin,
      },
      {
        spawned: (p) => (pid = p),
        data(stream, chunk) {
          if (stream === 'stderr') stderr += String(chunk);
          else {
            stdout += String(chunk);
            onStdout?.(stdout, pid!);
          }
        },
        exit() {},
        close: (code, _signal, error) => resolve({ code, stderr: error ?? stderr }),
      },
    );
  });
  return { done, pid: () => pid };
}

const firstLine = (text: string) => text.trim().split('\n')[0];

/**
 * Gives the held run's namespace its rules, then slirp4netns; resolves once the run may start, with a
 * function that ends slirp4netns when the run is over. Rejects with the reason when either fails.
 */
export async function startNetwork(childPid: number): Promise<() => void> {
  const tool = (name: string) => toolPath(name)!;
  const nft = await helper(nftCommand(tool('nsenter'), tool('nft'), childPid), nftRules()).done;
  if (nft.code !== 0) throw new Error(`its firewall rules could not be set: ${firstLine(nft.stderr)}`);
  let ready!: () => void;
  const up = new Promise<void>((resolve) => (ready = resolve));
  const slirp = helper(slirpCommand(tool('slirp4netns'), childPid), '', (text) => {
    if (text.includes('1')) ready();
  });
  const stop = () => {
    const pid = slirp.pid();
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone with the namespace
    }
  };
  const ended = slirp.done.then(({ code, stderr }) => {
    throw new Error(`slirp4netns ended (${code}): ${firstLine(stderr)}`);
  });
  await Promise.race([up, ended]);
  ended.catch(() => {});
  return stop;
}
