import { describe, expect, it } from 'vitest';
import { peerFromFlags } from '../../../main/cli/commands/echo';
import { CliUsageError } from '../../../main/cli/types';
import { StationConfig } from '../../../main/core/config/schema';

const config = StationConfig.parse({
  station: { aeTitle: 'WOUND1' },
  destinations: {
    pacs: { type: 'dimse', host: 'pacs.local', port: 104, calledAeTitle: 'PACS', commit: true },
    web: { type: 'stowrs', url: 'https://pacs.local/dicomweb' },
  },
});

describe('peer selection for echo/send/worklist', () => {
  it('takes --dest from the configuration, calling AE defaulting to the station', () => {
    expect(peerFromFlags({ dest: 'pacs' }, config)).toMatchObject({
      host: 'pacs.local',
      port: 104,
      calledAeTitle: 'PACS',
      callingAeTitle: 'WOUND1',
      commit: true,
    });
  });

  it('takes --host/--port/--aet by hand, --calling-aet overriding', () => {
    expect(
      peerFromFlags({ host: 'h', port: '11112', aet: 'X', 'calling-aet': 'ME' }, config),
    ).toEqual({ host: 'h', port: 11112, calledAeTitle: 'X', callingAeTitle: 'ME' });
  });

  it('refuses unknown or non-DIMSE destinations, mixed flags, incomplete or bad ports', () => {
    expect(() => peerFromFlags({ dest: 'nope' }, config)).toThrow(/known: pacs, web/);
    expect(() => peerFromFlags({ dest: 'web' }, config)).toThrow(/stowrs, not a DIMSE peer/);
    expect(() => peerFromFlags({ dest: 'pacs', host: 'h' }, config)).toThrow(CliUsageError);
    expect(() => peerFromFlags({ host: 'h', aet: 'X' }, config)).toThrow(/go together/);
    expect(() => peerFromFlags({ host: 'h', port: '70000', aet: 'X' }, config)).toThrow(
      /not a TCP port/,
    );
    expect(() => peerFromFlags({}, config)).toThrow(/--dest NAME/);
  });
});
