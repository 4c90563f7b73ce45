/**
 * Every string the UI shows, in one place (issue 2, item 6): English first; a translation is a
 * second object of the same type.
 */
export const en = {
  appTitle: 'Capture Station',
  demo: 'DEMO',
  demoWorklistHint:
    'Demo worklist: fictitious patients. Configure a worklist server for real ones.',
  demoDestinationHint: 'Images go to the local demo archive folder on this computer.',
  loadingStation: 'Connecting to the station…',
  stationUnreachable:
    'The station did not answer. Restart Capture Station; if it persists, call IT.',
  nav: { worklist: 'Worklist', capture: 'Capture' },
  banner: {
    none: 'No patient selected',
    noneHint: 'Choose a patient from the worklist before capturing.',
    id: 'ID',
    born: 'Born',
    sex: 'Sex',
    procedure: 'Procedure',
    accession: 'Accession',
  },
  worklist: {
    heading: 'Worklist',
    search: 'Search name, ID or accession',
    refresh: 'Refresh',
    loading: 'Loading worklist…',
    empty: 'No scheduled procedures match. Clear the search or check the date.',
    errorPrefix: 'The worklist could not be loaded:',
    columns: {
      time: 'Time',
      name: 'Patient',
      id: 'Patient ID',
      born: 'Born',
      sex: 'Sex',
      procedure: 'Procedure',
      accession: 'Accession',
      modality: 'Modality',
    },
    select: 'Select',
    source: 'Source',
  },
  capture: {
    heading: 'Capture',
    liveCamera: 'Live camera',
    starting: 'Starting the camera…',
    noCamera: 'No camera found. Connect the camera or scope and press Retry.',
    denied: 'Camera access was refused. Allow the camera for Capture Station and press Retry.',
    failed: 'The camera could not be started:',
    retry: 'Retry',
    needPatient: 'Select a patient to enable capture.',
    still: 'Take photo (Space)',
    notTaken: 'No photo was taken:',
    region: 'Body site',
    laterality: 'Side',
    left: 'Left',
    right: 'Right',
    both: 'Both',
    record: 'Record video (R)',
    stopRecording: 'Stop (R)',
    recording: (seconds: number) =>
      `● REC ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
    savingVideo: 'Saving video…',
    videoSaved: 'Video saved',
    videoFailed: 'Video not saved:',
    needRegion: 'Choose the body site before recording (required for video).',
    thumbnails: 'Photos taken for this patient',
    savedCount: (n: number) => (n === 1 ? '1 photo saved' : `${n} photos saved`),
    states: { saving: 'Saving…', saved: 'Saved', failed: 'Not saved' },
  },
  switchPatient: (from: string, count: number, to: string) =>
    `${count} photo(s) of ${from} stay with ${from} and will be sent for ${from}. Switch to ${to}?`,
  scan: {
    notFound: (id: string) =>
      `No patient with ID ${id} on today's list. Check the wristband, or search below.`,
    unrecognised: (code: string) => `The scanned code "${code}" is not a patient ID.`,
  },
  unscheduled: {
    open: 'Patient not on the list…',
    heading: 'Capture without an order (new study)',
    search: 'Patient ID or name',
    searchHint: 'Searches every patient on the worklist for the last and next 30 days.',
    none: 'No patient found. Check the spelling, or enter the patient by hand as a last resort.',
    use: 'Use this patient',
    manual: 'Enter patient by hand…',
    family: 'Family name',
    given: 'Given name',
    id: 'Patient ID',
    idAgain: 'Patient ID again',
    birthDate: 'Birth date (YYYY-MM-DD)',
    sex: 'Sex',
    start: 'Start new study',
    cancel: 'Cancel',
    errors: {
      family: 'Enter the family name.',
      id: 'Enter the patient ID.',
      idMismatch: 'The two patient IDs differ: type the ID again from the wristband.',
      birthDate: 'Birth date must be a real date as YYYY-MM-DD.',
    },
  },
  outbox: { title: 'Images not yet in the archive', loading: 'Outbox…' },
  shortcuts:
    'Shortcuts: / search · Alt+1 worklist · Alt+2 capture · Space photo · ↑↓ move · Enter select',
} as const;

export const strings = en;
