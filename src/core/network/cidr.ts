/** IPv4 addresses and CIDR blocks, as security group rules and routes use them. */

export interface ICidr {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

/** The address as an unsigned 32-bit number, or null when it is not dotted IPv4. */
export function parseIpv4(text: string): number | null {
  const parts = text.trim().split('.');
  if (parts.length !== 4) {
    return null;
  }
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) {
      return null;
    }
    value = value * 256 + Number(part);
  }
  return value;
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** A CIDR block ("10.0.0.0/16"; a bare address is a /32), or null. */
export function parseCidr(text: string | undefined | null): ICidr | null {
  if (!text) {
    return null;
  }
  const [address, bits, ...rest] = text.trim().split('/');
  if (rest.length) {
    return null;
  }
  const ip = parseIpv4(address);
  const prefix =
    bits === undefined ? 32 : /^\d{1,2}$/.test(bits) ? Number(bits) : NaN;
  if (ip === null || !(prefix >= 0 && prefix <= 32)) {
    return null;
  }
  // AWS keeps the host bits a rule was written with; the block is what the mask leaves.
  return { base: (ip & mask(prefix)) >>> 0, prefix };
}

/** Whether `outer` holds every address of `inner`. */
export function cidrContains(
  outer: string | undefined | null,
  inner: string | undefined | null
): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (!o || !i || o.prefix > i.prefix) {
    return false;
  }
  return (i.base & mask(o.prefix)) >>> 0 === o.base;
}

/** Whether the two blocks share any address. */
export function cidrOverlaps(
  a: string | undefined | null,
  b: string | undefined | null
): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** Whether the block lies wholly in private (RFC 1918) space. */
export function isPrivateCidr(text: string | undefined | null): boolean {
  return ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].some(p =>
    cidrContains(p, text)
  );
}
