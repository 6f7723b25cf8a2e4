/** `shadowtap interfaces`: the devices live capture can use, as libpcap sees them. */
import type { Command } from 'commander';
import { listInterfaces, type InterfaceInfo } from '../../source/interfaces.js';
import { choiceOption } from '../options.js';
import { writeResult } from '../output.js';

const FORMATS = ['table', 'json'] as const;

function state(i: InterfaceInfo): string {
  const words = [i.up ? 'up' : 'down'];
  if (i.running) words.push('running');
  if (i.loopback) words.push('loopback');
  return words.join(',');
}

/** One line per device: name, state, addresses, description; columns padded. */
export function interfacesTable(list: readonly InterfaceInfo[]): string {
  const rows = [['NAME', 'STATE', 'ADDRESSES', 'DESCRIPTION']];
  for (const i of list) {
    rows.push([i.name, state(i), i.addresses.join(' ') || '-', i.description]);
  }
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell)).join('  ').trimEnd())
    .join('\n') + '\n';
}

/** Registers `interfaces` on the program. */
export function registerInterfaces(program: Command): void {
  program
    .command('interfaces')
    .description('list the devices live capture can use (needs no privileges)')
    .option(
      '--format <format>',
      `output: ${FORMATS.join(', ')}`,
      choiceOption('--format', FORMATS),
      'table',
    )
    .action(async (opts: { format: (typeof FORMATS)[number] }) => {
      const list = await listInterfaces();
      const text = opts.format === 'json'
        ? JSON.stringify(list, null, 2) + '\n'
        : interfacesTable(list);
      writeResult(text, undefined);
    });
}
