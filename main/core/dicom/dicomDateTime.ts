/** DICOM DA / TM / DT values from a JS Date, in the station's local time (PS3.5 6.2). */

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** DA: YYYYMMDD. */
export function dicomDate(at: Date): string {
  return `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}`;
}

/** TM: HHMMSS.FFFFFF (milliseconds precision, as Date has). */
export function dicomTime(at: Date): string {
  return `${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}000`;
}

/** Timezone Offset From UTC (0008,0201): "+HHMM" / "-HHMM" (PS3.3 C.12.1.1.8). */
export function timezoneOffset(at: Date): string {
  const minutes = -at.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/** DT: YYYYMMDDHHMMSS.FFFFFF&ZZXX with the explicit offset, so the moment is unambiguous. */
export function dicomDateTime(at: Date): string {
  return `${dicomDate(at)}${dicomTime(at)}${timezoneOffset(at)}`;
}
