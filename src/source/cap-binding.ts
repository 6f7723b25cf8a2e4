/**
 * The one door to the `cap` package (STYLE 12). It is loaded lazily, on the first
 * live-capture call, so replay never needs libpcap or a native addon; when it is
 * missing, the error says in one line what to install.
 */
import type * as CapModule from 'cap';
import { ShadowtapError } from '../errors.js';

/** The loaded module, typed as the patched build. */
export type Cap = typeof CapModule;

const INSTALL_HINT = 'apt-get install libpcap-dev, then npm rebuild cap';

let loaded: Promise<Cap> | null = null;

/** Why an import failed, as one short clause. */
function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return (text.split('\n')[0] ?? '').trim();
}

async function load(): Promise<Cap> {
  let mod: Cap & { default?: Cap };
  try {
    mod = (await import('cap')) as Cap & { default?: Cap };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const missing = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
      /['"]cap['"]/.test(firstLine(e));
    if (missing) {
      throw new ShadowtapError(
        'capture-unavailable',
        'live capture needs the optional package cap, which is not installed: ' +
          'apt-get install libpcap-dev, then npm install',
      );
    }
    throw new ShadowtapError(
      'capture-unavailable',
      `live capture is unavailable (cap did not load: ${firstLine(e)}): ${INSTALL_HINT}`,
    );
  }
  // cap is CommonJS: its exports arrive as the default export.
  const cap = mod.default ?? mod;
  if (typeof cap.shadowtapPatch !== 'number' || cap.shadowtapPatch < 1) {
    throw new ShadowtapError(
      'capture-unavailable',
      'live capture is unavailable: cap was built without shadowtap\'s patch ' +
        '(snap length, capture statistics); run npm run patch-cap',
    );
  }
  return cap;
}

/** The patched cap module, or a capture-unavailable error saying what to install. */
export function loadCap(): Promise<Cap> {
  loaded ??= load();
  loaded.catch(() => {
    loaded = null; // a later call (after installing) tries again
  });
  return loaded;
}
