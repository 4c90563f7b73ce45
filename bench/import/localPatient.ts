/** The local patient both sides of the import bench coerce the disc to. */
export const LOCAL_PATIENT = {
  patientId: 'LOC-20261128',
  issuerOfPatientId: 'HOSPITAL_A',
  name: 'DOE^JANE',
  birthDate: '19800101',
  sex: 'F',
} as const;
