/**
 * The import screen's wrong-patient logic (review of 2026-12-06): what a confirmation covers and
 * when it lapses, the rows the mismatch dialog shows, and how names with several component groups
 * are shown.
 */
import { describe, expect, it } from 'vitest';
import type {
  MediaSession,
  MismatchShape,
  OutsidePatient,
} from '../../../preload/features/mediaImport';
import { formatPn } from '../../../renderer/src/features/import/formatPn';
import { alsoSeen } from '../../../renderer/src/features/import/alsoSeen';
import {
  assignmentsOf,
  coveredBy,
  NO_PICKS,
  unassignedCount,
  withChoice,
  type PatientChoice,
} from '../../../renderer/src/features/import/importChoices';
import { mismatchRows } from '../../../renderer/src/features/import/mismatchRows';

const doe: OutsidePatient = {
  key: 'k-doe',
  patientId: 'OUT-1',
  issuerOfPatientId: '',
  name: 'DOE^JANE',
  birthDate: '19700101',
  sex: 'F',
  seen: { names: ['DOE^JANE'], birthDates: ['19700101'], sexes: ['F'] },
  studies: [],
};
const other: OutsidePatient = { ...doe, key: 'k-other', patientId: 'OUT-2', name: 'X^Y' };
const session: MediaSession = {
  sessionId: '7d3b2a4e-5b1c-4b7e-9a43-3f3c1d2e4a5b',
  root: '/media/cdrom',
  patients: [doe, other],
  pdfs: [],
  refused: [],
  skipped: [],
};

const choice = (id: string, name = 'DOE^JANE'): PatientChoice => ({
  patient: { id, issuer: 'H', name: { alphabetic: name }, birthDate: '19700101', sex: 'F' },
  accessionNumber: '',
});
const roe: MismatchShape = { attribute: 'family name', outside: 'ROE^RICHARD', local: 'DOE^JANE' };

describe('import choices and confirmations', () => {
  it('sends the differences confirmed for a choice, and nothing for an unconfirmed one', () => {
    const picks = { choices: { 'k-doe': choice('L1') }, confirmed: { 'k-doe': [roe] } };
    expect(assignmentsOf(session, picks)).toEqual([
      { outsideKey: 'k-doe', patient: choice('L1').patient, acceptMismatch: [roe] },
    ]);
    expect(assignmentsOf(session, { ...picks, confirmed: {} })[0]).not.toHaveProperty(
      'acceptMismatch',
    );
  });

  it('drops a confirmation when its local patient or accession changes, or is removed', () => {
    const confirmed = { choices: { 'k-doe': choice('L1') }, confirmed: { 'k-doe': [roe] } };
    expect(withChoice(confirmed, 'k-doe', choice('L2')).confirmed).toEqual({});
    expect(
      withChoice(confirmed, 'k-doe', { ...choice('L1'), accessionNumber: 'A1' }).confirmed,
    ).toEqual({});
    const removed = withChoice(confirmed, 'k-doe', undefined);
    expect(removed).toEqual({ choices: {}, confirmed: {} });
  });

  it("keeps the other outside patients' confirmations", () => {
    const picks = {
      choices: { 'k-doe': choice('L1'), 'k-other': choice('L3') },
      confirmed: { 'k-doe': [roe], 'k-other': [roe] },
    };
    expect(withChoice(picks, 'k-other', choice('L4')).confirmed).toEqual({ 'k-doe': [roe] });
  });

  it('a confirmation covers only the very differences it was given', () => {
    expect(coveredBy([roe], [roe])).toBe(true);
    expect(coveredBy([roe], [{ ...roe, local: 'DOE^JOHN' }])).toBe(false);
    expect(coveredBy([roe], [roe, { attribute: 'sex', outside: 'M', local: 'F' }])).toBe(false);
    expect(coveredBy(undefined, [roe])).toBe(false);
  });

  it('counts the outside patients that will not be imported', () => {
    expect(unassignedCount(session, {})).toBe(2);
    expect(unassignedCount(session, withChoice(NO_PICKS, 'k-doe', choice('L1')).choices)).toBe(1);
  });
});

describe('mismatchRows', () => {
  it('shows the differing name found on another image, not only the first image’s', () => {
    const rows = mismatchRows({
      outsideKey: 'k-doe',
      outside: doe,
      choice: choice('L1'),
      mismatches: [roe, { attribute: 'birth date', outside: '19400505', local: '19700101' }],
    });
    const name = rows.find((r) => r.differing.includes('family name'));
    expect(name?.outside).toEqual([
      { text: 'DOE, JANE', differs: false },
      { text: 'ROE, RICHARD', differs: true },
    ]);
    expect(name?.local).toBe('DOE, JANE');
    const born = rows.find((r) => r.differing.includes('birth date'));
    expect(born?.outside.map((v) => [v.text, v.differs])).toEqual([
      ['1970-01-01', false],
      ['1940-05-05', true],
    ]);
    expect(rows.find((r) => r.label === 'Sex')?.differing).toEqual([]);
  });

  it('marks the given name, and the first image’s value when it is the one that differs', () => {
    const rows = mismatchRows({
      outsideKey: 'k-doe',
      outside: { ...doe, name: 'SMITH^JOHN' },
      choice: choice('L1', 'SMITH^JAMES'),
      mismatches: [{ attribute: 'given name', outside: 'SMITH^JOHN', local: 'SMITH^JAMES' }],
    });
    expect(rows[0]).toMatchObject({
      outside: [{ text: 'SMITH, JOHN', differs: true }],
      local: 'SMITH, JAMES',
      differing: ['given name'],
    });
  });
});

describe('formatPn', () => {
  it('splits component groups before components', () => {
    expect(formatPn('Yamada^Taro=山田^太郎')).toBe('Yamada, Taro (山田, 太郎)');
    expect(formatPn('Yamada^Tarou=山田^太郎=やまだ^たろう')).toBe(
      'Yamada, Tarou (山田, 太郎 / やまだ, たろう)',
    );
  });

  it('shows a name with only an ideographic group, and no empty parentheses', () => {
    expect(formatPn('=山田^太郎')).toBe('山田, 太郎');
    expect(formatPn('DOE^JANE=')).toBe('DOE, JANE');
    expect(formatPn('')).toBe('');
  });
});

describe('the study browser', () => {
  it('shows every other name, birth date and sex the disc holds under the ID', () => {
    expect(alsoSeen(doe)).toEqual([]);
    const merged: OutsidePatient = {
      ...doe,
      seen: {
        names: ['DOE^JANE', 'ROE^RICHARD'],
        birthDates: ['19700101', '19400505'],
        sexes: ['F', 'M'],
      },
    };
    expect(alsoSeen(merged)).toEqual([
      formatPn('ROE^RICHARD'),
      expect.stringMatching(/1940/),
      expect.stringMatching(/M$/),
    ]);
  });
});
