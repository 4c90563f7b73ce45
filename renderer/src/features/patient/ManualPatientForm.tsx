import { useState, type FormEvent } from 'react';
import type { Patient } from '../../../../preload/contract';
import { strings } from '../../i18n/strings';
import {
  validateManualPatient,
  type ManualPatientErrors,
  type ManualPatientInput,
} from './manualPatient';

const t = strings.unscheduled;
const EMPTY: ManualPatientInput = {
  family: '',
  given: '',
  id: '',
  idAgain: '',
  birthDate: '',
  sex: '',
};

/** Last-resort manual entry: the ID typed twice, every field validated before it is used. */
export function ManualPatientForm({
  onSubmit,
  onCancel,
}: {
  onSubmit: (patient: Patient) => void;
  onCancel: () => void;
}) {
  const [input, setInput] = useState<ManualPatientInput>(EMPTY);
  const [errors, setErrors] = useState<ManualPatientErrors>({});
  const set = (field: keyof ManualPatientInput) => (value: string) =>
    setInput((i) => ({ ...i, [field]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = validateManualPatient(input, t.errors);
    if ('errors' in result) setErrors(result.errors);
    else onSubmit(result.patient);
  };

  const field = (name: keyof ManualPatientErrors, label: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        value={input[name]}
        onChange={(e) => set(name)(e.target.value)}
        autoComplete="off"
        data-testid={`manual-${name}`}
        aria-invalid={name in errors}
      />
      {errors[name] && <em className="field__error">{errors[name]}</em>}
    </label>
  );

  return (
    <form onSubmit={submit} className="manual-form" noValidate>
      {field('family', t.family)}
      {field('given', t.given)}
      {field('id', t.id)}
      {field('idAgain', t.idAgain)}
      {field('birthDate', t.birthDate)}
      <label className="field">
        <span>{t.sex}</span>
        <select
          value={input.sex}
          onChange={(e) => set('sex')(e.target.value)}
          data-testid="manual-sex"
        >
          <option value="">—</option>
          <option value="F">F</option>
          <option value="M">M</option>
          <option value="O">O</option>
        </select>
      </label>
      <div className="dialog__row">
        <button type="submit" data-testid="manual-start">
          {t.start}
        </button>
        <button type="button" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
