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
  },
  shortcuts: 'Shortcuts: / search · Alt+1 worklist · Alt+2 capture · ↑↓ move · Enter select',
} as const;

export const strings = en;
