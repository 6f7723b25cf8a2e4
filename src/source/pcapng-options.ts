/**
 * pcapng Interface Description Block fields that decide how packets read: link
 * type, snap length, and the timestamp options if_tsresol and if_tsoffset
 * (pcapng draft, section 4.2).
 */

/** One interface of the current section. */
export interface PcapngInterface {
  linkType: number;
  /** 0 means no limit. */
  snaplen: number;
  /** Timestamp ticks per second (if_tsresol; default 10^6). */
  ticksPerSec: number;
  /** Seconds added to every timestamp (if_tsoffset; default 0). */
  offsetSec: number;
}

const OPT_END = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

/** Resolutions finer than this are taken as nonsense and replaced by the default. */
const MAX_DECIMAL_EXPONENT = 15;
const MAX_BINARY_EXPONENT = 52;

/**
 * Parses an IDB whose block starts at `at` and is `len` bytes long. Returns the
 * interface and, when an option made no sense, a note for the warnings.
 */
export function parseInterface(
  view: DataView,
  at: number,
  len: number,
  le: boolean,
): { iface: PcapngInterface; note: string | null } {
  const iface: PcapngInterface = {
    linkType: view.getUint16(at + 8, le),
    snaplen: view.getUint32(at + 12, le),
    ticksPerSec: 1e6,
    offsetSec: 0,
  };
  let note: string | null = null;
  const end = at + len - 4;
  let o = at + 16;
  while (o + 4 <= end) {
    const code = view.getUint16(o, le);
    const olen = view.getUint16(o + 2, le);
    if (code === OPT_END || o + 4 + olen > end) break;
    const v = o + 4;
    if (code === OPT_IF_TSRESOL && olen >= 1) {
      // High bit clear: 10^-n seconds per tick; set: 2^-n (section 4.2, if_tsresol).
      const r = view.getUint8(v);
      const exp = r & 0x7f;
      if ((r & 0x80) === 0 ? exp > MAX_DECIMAL_EXPONENT : exp > MAX_BINARY_EXPONENT) {
        note = `if_tsresol 0x${r.toString(16)} is out of range; microseconds assumed`;
      } else {
        iface.ticksPerSec = (r & 0x80) === 0 ? 10 ** exp : 2 ** exp;
      }
    } else if (code === OPT_IF_TSOFFSET && olen >= 8) {
      // A signed 64-bit count of seconds; the halves' order follows the section.
      const hi = view.getInt32(le ? v + 4 : v, le);
      const lo = view.getUint32(le ? v : v + 4, le);
      iface.offsetSec = hi * 4294967296 + lo;
    }
    o = v + ((olen + 3) & ~3);
  }
  return { iface, note };
}
