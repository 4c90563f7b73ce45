import { z } from 'zod';
import { WorklistItem } from '../../../preload/contract';
import demoFile from '../../../resources/demo-worklist.json';
import type { Department } from '../config/schema';
import {
  dateInRange,
  matchesText,
  modalityFor,
  todayAsDicomDate,
  type WorklistSource,
} from './WorklistSource';

const DemoEntry = WorklistItem.omit({ key: true, studyInstanceUid: true, scheduledDate: true });
const DemoFile = z.object({ items: z.array(DemoEntry) });

/**
 * The built-in worklist used when no worklist server is configured (issue 2, item 5): fictitious
 * patients scheduled for today, so a new station can be tried end to end. Study Instance UIDs are
 * fixed per day so that a patient keeps the same study across refreshes.
 */
export function createDemoWorklist(
  aeTitle: string,
  department: Department = 'general',
  now: () => Date = () => new Date(),
): WorklistSource {
  const entries = DemoFile.parse(demoFile).items;
  return {
    label: 'DEMO',
    demo: true,
    query(query) {
      const today = todayAsDicomDate(now());
      const items = entries.map((entry, index) => ({
        ...entry,
        key: `demo-${today}-${index + 1}`,
        // 2.25 root (PS3.5 B.2): a UUID-derived UID; fixed digits per day and item for the demo.
        studyInstanceUid: `2.25.${today}${String(index + 1).padStart(4, '0')}`,
        scheduledDate: today,
        scheduledStationAeTitle: aeTitle,
      }));
      const range = query.date ?? today;
      const station = query.stationAeTitle === undefined ? aeTitle : query.stationAeTitle;
      const modality = modalityFor(query.modality, department);
      const matches = (item: (typeof items)[number]) =>
        dateInRange(item.scheduledDate, range) &&
        (!modality || item.modality === modality) &&
        (!station || item.scheduledStationAeTitle === station) &&
        (!query.patientId || item.patient.id === query.patientId) &&
        matchesText(item, query.text);
      return Promise.resolve(items.filter(matches));
    },
  };
}
