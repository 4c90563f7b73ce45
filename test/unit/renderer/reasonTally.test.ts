import { describe, expect, it } from 'vitest';
import { reasonTally } from '../../../renderer/src/features/import/reasonTally';

const file = (path: string, reason: string) => ({ path, reason });
const GONE = 'no longer on the medium: was the disc or drive removed? [ENOENT]';

describe('reasonTally', () => {
  it('counts the reasons shared by several files, most frequent first', () => {
    const files = [
      file('a', 'file is truncated inside its header'),
      file('b', 'viewer'),
      ...['c', 'd', 'e'].map((p) => file(p, GONE)),
      file('f', 'viewer'),
    ];
    expect(reasonTally(files)).toEqual([
      { reason: GONE, files: 3 },
      { reason: 'viewer', files: 2 },
    ]);
  });

  it('lists nothing when every reason is its own', () => {
    expect(reasonTally([file('a', 'x'), file('b', 'y')])).toEqual([]);
  });
});
