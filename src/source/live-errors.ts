/**
 * libpcap's open failures as one-line operator errors. The patched addon tags
 * them with the stage that failed and pcap_activate's status (pcap/pcap.h).
 */
import { ShadowtapError } from '../errors.js';

// pcap_activate() failures, from pcap/pcap.h.
const PCAP_ERROR_NO_SUCH_DEVICE = -5;
const PCAP_ERROR_PERM_DENIED = -8;
const PCAP_ERROR_IFACE_NOT_UP = -9;
const PCAP_ERROR_PROMISC_PERM_DENIED = -11;

/** The one-line error for a failed open of `iface` with `filter`. */
export function openError(
  e: unknown,
  iface: string,
  filter: string,
  names: readonly string[],
): ShadowtapError {
  const err = e as { message?: unknown; pcapStage?: unknown; pcapStatus?: unknown };
  const message = typeof err.message === 'string' ? err.message.split('\n')[0]! : String(e);
  if (err.pcapStage === 'filter') {
    return new ShadowtapError('bad-filter', `--filter '${filter}': ${message}`);
  }
  switch (err.pcapStatus) {
    case PCAP_ERROR_NO_SUCH_DEVICE: {
      const here = names.length > 0 ? `; capture devices here: ${names.join(', ')}` : '';
      return new ShadowtapError('interface-not-found', `interface '${iface}' not found${here}`);
    }
    case PCAP_ERROR_PERM_DENIED:
    case PCAP_ERROR_PROMISC_PERM_DENIED:
      return new ShadowtapError(
        'permission-denied',
        `capturing on '${iface}' needs CAP_NET_RAW (run as root, or give the service ` +
          `CAP_NET_RAW and CAP_NET_ADMIN; see docs/live-capture.md): ${message}`,
      );
    case PCAP_ERROR_IFACE_NOT_UP:
      return new ShadowtapError(
        'capture-unavailable',
        `interface '${iface}' is down (ip link set ${iface} up): ${message}`,
      );
    default:
      return new ShadowtapError('capture-unavailable', `cannot capture on '${iface}': ${message}`);
  }
}
