/**
 * Types for the `cap` package as shadowtap builds it (cap 0.2.1 with
 * native/cap-0.2.1.patch). Only src/source/cap-binding.ts imports it; everything
 * else speaks our own types (STYLE 12).
 */
declare module 'cap' {
  namespace cap {
    /** One address of a device, as libpcap lists it. */
    interface CapAddress {
      addr?: string;
      netmask?: string;
      broadaddr?: string;
      dstaddr?: string;
    }

    /** One capture device from pcap_findalldevs. */
    interface CapDevice {
      name: string;
      description?: string;
      addresses: CapAddress[];
      flags?: string;
      /** The patch: pcap_if_t flags (PCAP_IF_LOOPBACK, _UP, _RUNNING, ...). */
      pcapFlags?: number;
    }

    /** libpcap's counters since the handle opened (the patch: pcap_stats). */
    interface CapStats {
      received: number;
      dropped: number;
      ifDropped: number;
    }

    /** A capture handle. The patched build has no `send`. */
    class Cap {
      constructor();
      /**
       * Opens `device`; returns cap's name for the link type. With `batch`, records
       * (16-byte header, then the bytes) are packed into `buffer` and announced by
       * a 'batch' event; the buffer is reused after the event returns. In batch
       * mode the kernel hands packets over in blocks, filled or `timeoutMs` old.
       */
      open(
        device: string,
        filter: string,
        bufSize: number,
        buffer: Buffer,
        snapLength?: number,
        batch?: boolean,
        timeoutMs?: number,
      ): string;
      close(): boolean;
      stats(): CapStats;
      pause(): void;
      resume(): void;
      drain(maxPackets?: number): void;
      on(event: 'batch', listener: (count: number, bytes: number) => void): this;
      removeAllListeners(event?: string): this;
    }

    function deviceList(): CapDevice[];
    /** Set by the patch; absent on a stock build. */
    const shadowtapPatch: number | undefined;
  }
  export = cap;
}
