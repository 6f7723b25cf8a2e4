/**
 * 802.1Q VLAN tags, stacked as 802.1ad/QinQ: each tag is 2 bytes of tag control
 * (priority, DEI, VLAN id) and the EtherType of what follows (IEEE 802.1Q 9.6).
 */
import { u16, type LayerStatus } from './bytes.js';
import { isVlanTag } from './ethertypes.js';

/** The tags that were peeled off and what lies under them. */
export interface VlanStack {
  /** Number of tags. */
  tags: number;
  /** VLAN id of the outermost tag (0 when none). */
  outerId: number;
  /** EtherType under the last tag. */
  etherType: number;
  /** Offset of the first byte under the last tag. */
  payload: number;
}

const TAG_BYTES = 4;

/** A reusable result for decodeVlanStack. */
export function newVlanStack(): VlanStack {
  return { tags: 0, outerId: 0, etherType: 0, payload: 0 };
}

/**
 * Peels VLAN tags starting at `off`, where `etherType` (already read by the layer
 * below) says a tag starts. More than `maxTags` tags is 'malformed': no network
 * stacks that deep, and a crafted frame could otherwise make us loop long.
 */
export function decodeVlanStack(
  b: Uint8Array,
  off: number,
  end: number,
  etherType: number,
  maxTags: number,
  out: VlanStack,
): LayerStatus {
  out.tags = 0;
  out.outerId = 0;
  let type = etherType;
  let o = off;
  while (isVlanTag(type)) {
    if (out.tags >= maxTags) return 'malformed';
    if (end - o < TAG_BYTES) return 'truncated';
    if (out.tags === 0) out.outerId = u16(b, o) & 0x0fff;
    type = u16(b, o + 2);
    o += TAG_BYTES;
    out.tags++;
  }
  out.etherType = type;
  out.payload = o;
  return 'ok';
}
