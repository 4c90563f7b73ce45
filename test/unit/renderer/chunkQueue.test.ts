import { describe, expect, it } from 'vitest';
import { ChunkQueue } from '../../../renderer/src/features/capture/ChunkQueue';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const chunk = (text: string) => new Blob([text]);

/** A station whose appends fail while `failing` is set; records what it accepted, in order. */
function fakeStation() {
  const station = {
    failing: undefined as string | undefined,
    accepted: [] as number[],
    calls: [] as number[],
    append: async (seq: number) => {
      station.calls.push(seq);
      await Promise.resolve();
      if (station.failing) throw new Error(station.failing);
      // The station's rule (RecordingService): only the next chunk in sequence is taken.
      if (seq !== station.accepted.length) throw new Error(`chunk ${seq} out of order`);
      station.accepted.push(seq);
    },
  };
  return station;
}

function queueOn(station: ReturnType<typeof fakeStation>, maxBacklog = 30) {
  const problems: (string | undefined)[] = [];
  const full: string[] = [];
  const queue = new ChunkQueue(
    station.append,
    { onProblem: (reason) => problems.push(reason), onBacklogFull: (reason) => full.push(reason) },
    maxBacklog,
  );
  return { queue, problems, full };
}

describe('recording chunks on their way to the station', () => {
  it('sends chunks one at a time, in order', async () => {
    const station = fakeStation();
    const { queue, problems } = queueOn(station);
    for (const text of ['a', 'b', 'c']) queue.push(chunk(text));
    expect(await queue.flush(1, 0)).toEqual({ unsaved: 0 });
    expect(station.accepted).toEqual([0, 1, 2]);
    expect(problems).toEqual([]);
  });

  it('reports a failed append at once, retries it with the next chunk, and keeps the order', async () => {
    const station = fakeStation();
    const { queue, problems } = queueOn(station);
    queue.push(chunk('a'));
    await settle();
    station.failing = 'disk full';
    queue.push(chunk('b'));
    await settle();
    // Reported at once; the failed chunk waits, the later one is not sent past it.
    expect(problems).toEqual(['disk full']);
    queue.push(chunk('c'));
    await settle();
    expect(station.calls).toEqual([0, 1, 1]);
    station.failing = undefined;
    queue.push(chunk('d'));
    await settle();
    expect(await queue.flush(1, 0)).toEqual({ unsaved: 0 });
    expect(station.accepted).toEqual([0, 1, 2, 3]);
    // Each failed attempt is reported; saved again, the problem is cleared for the person.
    expect(problems).toEqual(['disk full', 'disk full', undefined]);
  });

  it('on Stop retries what waits, then says how much of the end was not saved', async () => {
    const station = fakeStation();
    const { queue } = queueOn(station);
    queue.push(chunk('a'));
    await settle();
    station.failing = 'station restarting';
    queue.push(chunk('b'));
    queue.push(chunk('c'));
    expect(await queue.flush(3, 1)).toEqual({ unsaved: 2, reason: 'station restarting' });
    expect(station.calls.filter((seq) => seq === 1)).toHaveLength(3);
    expect(station.accepted).toEqual([0]);
  });

  it('a retry on Stop that succeeds saves everything', async () => {
    const station = fakeStation();
    const { queue } = queueOn(station);
    station.failing = 'busy';
    queue.push(chunk('a'));
    await settle();
    setTimeout(() => (station.failing = undefined), 5);
    expect(await queue.flush(5, 10)).toEqual({ unsaved: 0 });
    expect(station.accepted).toEqual([0]);
  });

  it('says the recording must stop once more chunks wait than it may hold', async () => {
    const station = fakeStation();
    const { queue, full } = queueOn(station, 2);
    station.failing = 'no space left on device';
    queue.push(chunk('a'));
    await settle();
    queue.push(chunk('b'));
    expect(full).toEqual([]);
    queue.push(chunk('c'));
    queue.push(chunk('d'));
    expect(full).toEqual(['no space left on device']);
  });

  it('treats an append that throws synchronously as a failed append', async () => {
    const problems: (string | undefined)[] = [];
    const queue = new ChunkQueue(
      () => {
        throw new Error('not connected');
      },
      { onProblem: (reason) => problems.push(reason), onBacklogFull: () => undefined },
      30,
    );
    queue.push(chunk('a'));
    expect(await queue.flush(2, 0)).toEqual({ unsaved: 1, reason: 'not connected' });
    expect(problems).toEqual(['not connected', 'not connected']);
  });
});
