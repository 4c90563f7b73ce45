/**
 * The closing report's states (issue 8, item 6): a file is finished once every destination has it
 * — committed where the destination asks for storage commitment — or once it needs a person.
 */
import { describe, expect, it } from 'vitest';
import { fileState } from '../../../main/core/media-import/deliveryState';

const none = new Set<string>();
const pacsCommits = new Set(['pacs']);

describe('fileState', () => {
  it('is queued while the outbox does not list the file yet', () => {
    expect(fileState(undefined, none)).toEqual({
      state: 'queued',
      finished: false,
      sent: false,
      committed: false,
    });
  });

  it('finishes at sent without commitment, and only at committed with it', () => {
    const sent = { pacs: { state: 'sent' } };
    expect(fileState(sent, none)).toMatchObject({ state: 'sent', finished: true, sent: true });
    expect(fileState(sent, pacsCommits)).toMatchObject({
      state: 'sent',
      finished: false,
      committed: false,
    });
    expect(fileState({ pacs: { state: 'committed' } }, pacsCommits)).toMatchObject({
      state: 'committed',
      finished: true,
      sent: true,
      committed: true,
    });
  });

  it('waits for every destination and names the one that needs attention', () => {
    expect(
      fileState({ pacs: { state: 'committed' }, web: { state: 'sending' } }, pacsCommits),
    ).toMatchObject({ state: 'sending', finished: false, sent: false, committed: false });
    expect(
      fileState(
        {
          pacs: { state: 'sent' },
          web: { state: 'needs-attention', problem: 'HTTP 409: rejected' },
        },
        none,
      ),
    ).toEqual({
      state: 'needs-attention',
      problem: 'web: HTTP 409: rejected',
      finished: true,
      sent: false,
      committed: false,
    });
    expect(
      fileState({ pacs: { state: 'waiting-to-retry', problem: 'connection refused' } }, none),
    ).toMatchObject({ state: 'waiting-to-retry', problem: 'pacs: connection refused' });
  });

  it('calls a file cancelled everywhere cancelled: finished, never sent or committed', () => {
    expect(fileState({ pacs: { state: 'cancelled' } }, pacsCommits)).toEqual({
      state: 'cancelled',
      finished: true,
      sent: false,
      committed: false,
    });
    expect(
      fileState({ pacs: { state: 'cancelled' }, web: { state: 'cancelled' } }, none),
    ).toMatchObject({ state: 'cancelled', sent: false });
  });

  it('judges a file cancelled at one destination by the others, naming the cancelled one', () => {
    expect(fileState({ pacs: { state: 'cancelled' }, web: { state: 'sent' } }, none)).toEqual({
      state: 'sent',
      problem: 'cancelled in the outbox for pacs',
      finished: true,
      sent: true,
      committed: false,
    });
    expect(
      fileState({ pacs: { state: 'cancelled' }, web: { state: 'sending' } }, none),
    ).toMatchObject({ state: 'sending', finished: false, sent: false });
    expect(
      fileState({ pacs: { state: 'committed' }, web: { state: 'cancelled' } }, pacsCommits),
    ).toMatchObject({ state: 'committed', finished: true, sent: true, committed: true });
  });
});
