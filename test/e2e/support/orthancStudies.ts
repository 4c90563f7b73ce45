import type { Orthanc } from '../../services';

export interface OrthancStudy {
  readonly studyInstanceUid: string;
  readonly accessionNumber: string;
  readonly patientName: string;
  readonly patientId: string;
  readonly instances: number;
}

interface FindAnswer {
  MainDicomTags: Record<string, string>;
  PatientMainDicomTags: Record<string, string>;
  Series: string[];
}

/** Every study Orthanc holds for a Patient ID, with its instance count (REST /tools/find). */
export async function studiesOf(orthanc: Orthanc, patientId: string): Promise<OrthancStudy[]> {
  const response = await fetch(`${orthanc.baseUrl}/tools/find`, {
    method: 'POST',
    body: JSON.stringify({ Level: 'Study', Query: { PatientID: patientId }, Expand: true }),
  });
  if (!response.ok) throw new Error(`Orthanc /tools/find answered ${response.status}`);
  const studies = (await response.json()) as FindAnswer[];
  return Promise.all(
    studies.map(async (study) => ({
      studyInstanceUid: study.MainDicomTags.StudyInstanceUID ?? '',
      accessionNumber: study.MainDicomTags.AccessionNumber ?? '',
      patientName: study.PatientMainDicomTags.PatientName ?? '',
      patientId: study.PatientMainDicomTags.PatientID ?? '',
      instances: await countInstances(orthanc, study.Series),
    })),
  );
}

async function countInstances(orthanc: Orthanc, series: readonly string[]): Promise<number> {
  let count = 0;
  for (const id of series) {
    const response = await fetch(`${orthanc.baseUrl}/series/${id}`);
    count += ((await response.json()) as { Instances: string[] }).Instances.length;
  }
  return count;
}

/** Orthanc's instance IDs, once exactly `count` have arrived (polls up to 30 s). */
export async function waitForInstances(orthanc: Orthanc, count: number): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ids = (await (await fetch(`${orthanc.baseUrl}/instances`)).json()) as string[];
    if (ids.length === count || Date.now() > deadline) return ids;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** An instance's main tags by keyword (Orthanc's simplified-tags), and its transfer syntax. */
export async function instanceTags(orthanc: Orthanc, id: string) {
  const tags = (await (
    await fetch(`${orthanc.baseUrl}/instances/${id}/simplified-tags`)
  ).json()) as Record<string, unknown>;
  const transferSyntax = await (
    await fetch(`${orthanc.baseUrl}/instances/${id}/metadata/TransferSyntax`)
  ).text();
  return { tags, transferSyntax };
}
