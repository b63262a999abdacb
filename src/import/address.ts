import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/** Addresses a host name resolves to, as `dns.lookup(host, { all: true })` gives them. */
export type Resolve = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

/**
 * Which addresses may be connected to, checked where the connection is made (after DNS, on every
 * redirect), so a name that resolves differently the second time cannot slip through.
 */
export interface AddressGuard {
  /** Why an address may not be fetched from, or undefined when it may. Default `addressProblem`. */
  refuse: (ip: string) => string | undefined;
  /** Name resolution. Default the system resolver (`dns.lookup`); tests inject their own. */
  resolve: Resolve;
}

/** Kinds of address that are not the public internet, most specific first. IPv4 rules also match IPv4-mapped IPv6 (`::ffff:10.0.0.1`). */
const KINDS: Array<[kind: string, rules: Array<[ip: string, prefix: number]>]> = [
  // AWS, GCP, Azure, OpenStack (169.254.169.254), Alibaba (100.100.100.200), Oracle (192.0.0.192), AWS over IPv6 (fd00:ec2::254).
  [
    "a cloud metadata address",
    [
      ["169.254.169.254", 32],
      ["100.100.100.200", 32],
      ["192.0.0.192", 32],
      ["fd00:ec2::254", 128],
    ],
  ],
  [
    "a loopback address",
    [
      ["127.0.0.0", 8],
      ["::1", 128],
    ],
  ],
  [
    "an unspecified address",
    [
      ["0.0.0.0", 8],
      ["::", 128],
    ],
  ],
  [
    "a private address",
    [
      ["10.0.0.0", 8],
      ["172.16.0.0", 12],
      ["192.168.0.0", 16],
      ["100.64.0.0", 10],
      ["fc00::", 7],
      ["fec0::", 10],
    ],
  ],
  [
    "a link-local address",
    [
      ["169.254.0.0", 16],
      ["fe80::", 10],
    ],
  ],
  [
    "a multicast address",
    [
      ["224.0.0.0", 4],
      ["ff00::", 8],
    ],
  ],
  [
    "a reserved address",
    [
      ["192.0.0.0", 24],
      ["192.0.2.0", 24],
      ["198.18.0.0", 15],
      ["198.51.100.0", 24],
      ["203.0.113.0", 24],
      ["240.0.0.0", 4],
      ["100::", 64],
      ["2001:db8::", 32],
    ],
  ],
];

const LISTS = KINDS.map(([kind, rules]) => {
  const list = new BlockList();
  for (const [ip, prefix] of rules) list.addSubnet(ip, prefix, isIP(ip) === 6 ? "ipv6" : "ipv4");
  return [kind, list] as const;
});

/**
 * Why `ip` is not a public address (loopback, private, link-local, cloud metadata, multicast,
 * reserved), or undefined when it is. IPv4 inside IPv6 (mapped `::ffff:a.b.c.d`, compatible
 * `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) is judged as the IPv4 address it carries. Pure.
 */
export function addressProblem(ip: string): string | undefined {
  const bare = ip.replace(/^\[|\]$/g, "");
  const family = isIP(bare);
  if (family === 0) return "not an IP address";
  const type = family === 6 ? "ipv6" : "ipv4";
  for (const [kind, list] of LISTS) if (list.check(bare, type)) return kind;
  const inner = family === 6 ? embeddedIpv4(bare) : undefined;
  return inner ? addressProblem(inner) : undefined;
}

/** The system resolver, every address of both families. */
export const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** The default guard for fetching on behalf of chat users. */
export const PUBLIC_ONLY: AddressGuard = { refuse: addressProblem, resolve: systemResolve };

/** Thrown inside a connection attempt that the guard refused; carries the reason shown to the user. */
export class AddressRefused extends Error {
  override readonly name = "AddressRefused";
}

/**
 * A `lookup` for `http.request` that resolves through the guard and refuses the connection when any
 * address the name resolves to is refused: Node connects to exactly what this returns, so there is no
 * window between the check and the connection.
 */
export function guardedLookup(guard: AddressGuard) {
  return (
    hostname: string,
    options: { family?: number | string; all?: boolean },
    callback: (err: Error | null, address: string | Array<{ address: string; family: number }>, family?: number) => void,
  ): void => {
    guard
      .resolve(hostname)
      .then((found) => {
        const want = options.family === 4 || options.family === "IPv4" ? 4 : options.family === 6 || options.family === "IPv6" ? 6 : 0;
        const addresses = found.filter((a) => want === 0 || a.family === want);
        if (addresses.length === 0) throw Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" });
        for (const a of addresses) {
          const why = guard.refuse(a.address);
          // The address itself is not shown: it would map the inside of the network for whoever asks.
          if (why) throw new AddressRefused(`${hostname} resolves to ${why}, which is not fetched from`);
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      })
      .catch((err: Error) => callback(err, "", 0));
  };
}

/** The IPv4 address carried in an IPv6 one, if any. */
function embeddedIpv4(ip: string): string | undefined {
  const groups = expandIpv6(ip);
  if (!groups) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zero = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zero(0, 5) && (groups[5] === 0xffff || groups[5] === 0) && !(groups[5] === 0 && groups[6] === 0)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zero(2, 6)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!);
  return undefined;
}

/** An IPv6 address as its eight 16-bit groups. */
function expandIpv6(ip: string): number[] | undefined {
  let text = ip.toLowerCase().replace(/%.*$/, "");
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1]!.split(".").map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const part = (s: string) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const h = part(head);
  const t = tail === undefined ? [] : part(tail);
  const groups = tail === undefined ? h : [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}
