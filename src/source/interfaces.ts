/**
 * Capture devices as libpcap lists them (pcap_findalldevs), in our own shape.
 * Listing needs no privileges, so it also names the devices that do exist when an
 * operator mistypes one.
 */
import { ShadowtapError } from '../errors.js';
import { loadCap } from './cap-binding.js';

// pcap_if_t flags, from pcap/pcap.h.
const PCAP_IF_LOOPBACK = 0x1;
const PCAP_IF_UP = 0x2;
const PCAP_IF_RUNNING = 0x4;

/** One device that can be captured on. */
export interface InterfaceInfo {
  name: string;
  /** libpcap's description (pseudo-devices mostly), '' when none. */
  description: string;
  /** Addresses with prefix length, IPv4 then IPv6 as libpcap lists them. */
  addresses: string[];
  up: boolean;
  running: boolean;
  loopback: boolean;
}

/** Prefix length of a dotted or colon netmask, or null when it is not contiguous. */
export function prefixLength(netmask: string | undefined): number | null {
  if (netmask === undefined) return null;
  let bits = '';
  if (netmask.includes('.')) {
    for (const part of netmask.split('.')) bits += Number(part).toString(2).padStart(8, '0');
  } else {
    const halves = netmask.split('::');
    const head = halves[0] === '' ? [] : halves[0]!.split(':');
    const tail = halves.length > 1 && halves[1] !== '' ? halves[1]!.split(':') : [];
    const groups = [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail];
    for (const g of groups) bits += parseInt(g, 16).toString(2).padStart(16, '0');
  }
  const ones = bits.indexOf('0') === -1 ? bits.length : bits.indexOf('0');
  return bits.slice(ones).includes('1') ? null : ones;
}

/** Every capture device, in libpcap's order (the first is its default choice). */
export async function listInterfaces(): Promise<InterfaceInfo[]> {
  const cap = await loadCap();
  let devices: ReturnType<typeof cap.deviceList>;
  try {
    devices = cap.deviceList();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ShadowtapError('capture-unavailable', `cannot list capture devices: ${why}`);
  }
  return devices.map((d) => {
    const flags = d.pcapFlags ?? (d.flags === 'PCAP_IF_LOOPBACK' ? PCAP_IF_LOOPBACK : 0);
    return {
      name: d.name,
      description: d.description ?? '',
      addresses: d.addresses
        .filter((a) => a.addr !== undefined)
        .map((a) => {
          const len = prefixLength(a.netmask);
          return len === null ? a.addr! : `${a.addr}/${len}`;
        }),
      up: (flags & PCAP_IF_UP) !== 0,
      running: (flags & PCAP_IF_RUNNING) !== 0,
      loopback: (flags & PCAP_IF_LOOPBACK) !== 0,
    };
  });
}

/** The names of the devices that exist, for an error message. */
export async function interfaceNames(): Promise<string[]> {
  try {
    return (await listInterfaces()).map((i) => i.name);
  } catch {
    return [];
  }
}
