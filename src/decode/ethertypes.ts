/** EtherType values the decoders dispatch on (IEEE registry). */
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
/** 802.1Q customer VLAN tag. */
export const ETHERTYPE_VLAN = 0x8100;
/** 802.1ad service VLAN tag (QinQ outer tag). */
export const ETHERTYPE_QINQ = 0x88a8;
/** Pre-standard QinQ outer tag some switches still send. */
export const ETHERTYPE_QINQ_OLD = 0x9100;
export const ETHERTYPE_MPLS = 0x8847;
export const ETHERTYPE_MPLS_MULTICAST = 0x8848;
/** Transparent Ethernet bridging: an Ethernet frame follows (GRE, GENEVE). */
export const ETHERTYPE_TEB = 0x6558;
/** ERSPAN type I and II inside GRE. */
export const ETHERTYPE_ERSPAN_2 = 0x88be;
/** ERSPAN type III inside GRE. */
export const ETHERTYPE_ERSPAN_3 = 0x22eb;

/** True for the tag types a VLAN stack is built of. */
export function isVlanTag(etherType: number): boolean {
  return (
    etherType === ETHERTYPE_VLAN || etherType === ETHERTYPE_QINQ || etherType === ETHERTYPE_QINQ_OLD
  );
}
