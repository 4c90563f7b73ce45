import { loadConfig } from '../../core/config/loadConfig';
import { worklistSource } from '../../core/dimse/peer';
import { queryWorklist } from '../../core/dimse/worklist';
import type { WorklistQueryKeys } from '../../core/dimse/worklistItem';
import { parseFlags } from '../parseFlags';
import { CliUsageError, type CliCommand } from '../types';
import { PEER_FLAGS, PEER_USAGE, peerFromFlags } from './echo';

const DATE_RANGE = /^\d{8}(-\d{8})?$/;

function queryFrom(values: Record<string, string | boolean | undefined>): WorklistQueryKeys {
  const text = (name: string) => {
    const value = values[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const date = text('date');
  if (date !== undefined && !DATE_RANGE.test(date)) {
    throw new CliUsageError('--date is YYYYMMDD or YYYYMMDD-YYYYMMDD');
  }
  return {
    date,
    modality: text('modality'),
    stationAeTitle: text('station-aet'),
    patientId: text('patient-id'),
  };
}

/** `capture-station worklist`: query the Modality Worklist, one item per line. */
export const worklistCommand: CliCommand = {
  name: 'worklist',
  summary: 'query the modality worklist (C-FIND), names decoded to Unicode',
  usage:
    'usage: capture-station [--config FILE] [--json] worklist [--date YYYYMMDD[-YYYYMMDD]] ' +
    `[--modality M] [--station-aet A] [--patient-id ID] [${PEER_USAGE}]\n` +
    'Without peer flags the configured worklist server is asked. Ctrl-C cancels (C-CANCEL).',
  async run(argv, ctx) {
    const { values } = parseFlags(argv, {
      ...PEER_FLAGS,
      date: { type: 'string' },
      modality: { type: 'string' },
      'station-aet': { type: 'string' },
      'patient-id': { type: 'string' },
      json: { type: 'boolean' },
    });
    const json = ctx.json || values.json === true;
    const { config } = loadConfig({ file: ctx.configPath });
    const peer = peerFromFlags(values, config, worklistSource(config));
    const items = await queryWorklist(peer, queryFrom(values), {
      signal: ctx.signal,
      onItem: (item) => {
        if (json) {
          ctx.out(JSON.stringify(item));
          return;
        }
        const name = [item.patient.name.alphabetic, item.patient.name.ideographic]
          .filter(Boolean)
          .join(' = ');
        const when = [item.scheduledDate, item.scheduledTime].filter(Boolean).join(' ');
        ctx.out(
          `${when}  ${item.modality ?? ''}  ${item.patient.id}  ${name}  ${item.accessionNumber}`,
        );
      },
    });
    if (!json) ctx.out(`${items.length} item(s)`);
  },
};
