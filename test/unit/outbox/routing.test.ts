import { describe, expect, it } from 'vitest';
import { mediumOf, routerFor } from '../../../main/core/outbox/routing';
import { OutboxSettings } from '../../../main/core/outbox/outboxConfig';

const VIDEO_ENDOSCOPIC = '1.2.840.10008.5.1.4.1.1.77.1.1.1';
const VL_ENDOSCOPIC = '1.2.840.10008.5.1.4.1.1.77.1.1';
const PDF = '1.2.840.10008.5.1.4.1.1.104.1';

describe('routing per department', () => {
  it('knows the media of the station SOP classes', () => {
    expect(mediumOf(VIDEO_ENDOSCOPIC)).toBe('video');
    expect(mediumOf(VL_ENDOSCOPIC)).toBe('still');
    expect(mediumOf(PDF)).toBe('document');
    expect(mediumOf('1.2.840.10008.5.1.4.1.1.7')).toBe('other');
  });

  it('sends endoscopy video to the VNA and stills to PACS and VNA; other departments everywhere', () => {
    const { routing } = OutboxSettings.parse({
      routing: { endoscopy: { video: ['vna'], still: ['pacs', 'vna'] } },
    });
    const endoscopy = routerFor('endoscopy', routing, ['pacs', 'vna', 'local']);
    expect(endoscopy({ sopClassUid: VIDEO_ENDOSCOPIC })).toEqual(['vna']);
    expect(endoscopy({ sopClassUid: VL_ENDOSCOPIC })).toEqual(['pacs', 'vna']);
    expect(endoscopy({ sopClassUid: PDF })).toEqual(['pacs', 'vna', 'local']);
    expect(routerFor('dermatology', routing, ['pacs'])({ sopClassUid: VIDEO_ENDOSCOPIC })).toEqual([
      'pacs',
    ]);
  });

  it('refuses a routing rule that sends a kind nowhere', () => {
    expect(() => OutboxSettings.parse({ routing: { endoscopy: { video: [] } } })).toThrow();
  });
});
