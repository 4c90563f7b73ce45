import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STATION_AET, demoWorklistItems } from '../fixtures/worklist/demoWorklist';
import {
  cEcho,
  expectValidDicom,
  outputText,
  requireTool,
  runTool,
  startOrthanc,
  startStorescp,
  startWorklistServer,
  writeWorklistFolder,
  type Orthanc,
  type Storescp,
  type WorklistServer,
} from '../services';
import {
  retryOnAddressInUse,
  ServiceStartError,
  spawnService,
  waitUntilReady,
} from '../services/serviceProcess';
import { resolveTool } from '../services/tools';

/**
 * Proves the rig every integration and end-to-end test relies on: each peer starts on fresh ports,
 * answers for real (C-ECHO, C-STORE, MWL C-FIND, REST, QIDO-RS), and leaves no process behind.
 */

const PHOTO_SOP_INSTANCE_UID = '2.25.145802365210448372311236745001938857631';
const VIDEO_SOP_INSTANCE_UID = '2.25.265907514377352398807532712452719130742';
/** PS3.5 8.2.7 MPEG-4 AVC/H.264 High Profile / Level 4.1. */
const MPEG4_HP41 = '1.2.840.10008.1.2.4.102';
/** PS3.4 B.5 VL Photographic Image Storage. */
const VL_PHOTOGRAPHIC_IMAGE = '1.2.840.10008.5.1.4.1.1.77.1.4';
/** PS3.4 B.5 Video Endoscopic Image Storage. */
const VIDEO_ENDOSCOPIC_IMAGE = '1.2.840.10008.5.1.4.1.1.77.1.1.1';

let work: string;
let photo: string;
let video: string;
let broken: string;
let orthanc: Orthanc | undefined;
let storescp: Storescp | undefined;
let worklist: WorklistServer | undefined;
/** A second Orthanc standing in for the station, to receive storage-commitment reports. */
let stationStandIn: Orthanc | undefined;

/** A 64x48 JPEG from ffmpeg wrapped by img2dcm as VL Photographic Image (PS3.3 A.33.4). */
async function makePhoto(dir: string): Promise<string> {
  const jpeg = path.join(dir, 'photo.jpg');
  const file = path.join(dir, 'photo.dcm');
  await mustRun('ffmpeg', [
    ...['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=1'],
    ...['-frames:v', '1', '-pix_fmt', 'yuvj420p', jpeg],
  ]);
  const keys = {
    PatientName: 'Rig^Photo',
    PatientID: 'RIG-PHOTO',
    StudyDate: '20261128',
    StudyTime: '120000',
    StudyID: '1',
    SeriesNumber: '1',
    InstanceNumber: '1',
    // DOMAIN.md: with Laterality absent, ImageLaterality U is what dciodvfy accepts cleanly.
    ImageLaterality: 'U',
    SOPInstanceUID: PHOTO_SOP_INSTANCE_UID,
  };
  const keyArgs = Object.entries(keys).flatMap(([k, v]) => ['-k', `${k}=${v}`]);
  await mustRun('img2dcm', ['-q', '-vlp', ...keyArgs, jpeg, file]);
  return file;
}

/** One second of H.264 High L4.1 in MP4, encapsulated whole as a Video Endoscopic instance. */
async function makeVideo(dir: string): Promise<string> {
  const mp4 = path.join(dir, 'clip.mp4');
  const dump = path.join(dir, 'video.dump');
  const file = path.join(dir, 'video.dcm');
  await mustRun('ffmpeg', [
    ...['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25'],
    ...['-t', '1', '-c:v', 'libx264', '-profile:v', 'high', '-level', '4.1'],
    ...['-pix_fmt', 'yuv420p', mp4],
  ]);
  const lines = [
    `(0002,0010) UI [${MPEG4_HP41}]`,
    `(0008,0016) UI [${VIDEO_ENDOSCOPIC_IMAGE}]`,
    `(0008,0018) UI [${VIDEO_SOP_INSTANCE_UID}]`,
    '(0008,0060) CS [ES]',
    '(0010,0010) PN [Rig^Video]',
    '(0010,0020) LO [RIG-VIDEO]',
    '(0020,000d) UI [2.25.95486309571744069420186102361466231077]',
    '(0020,000e) UI [2.25.183702913374556806307717813659096355458]',
    '(0028,0002) US 3',
    '(0028,0004) CS [YBR_PARTIAL_420]',
    '(0028,0006) US 0',
    '(0028,0008) IS [25]',
    '(0028,0010) US 240',
    '(0028,0011) US 320',
    '(0028,0100) US 8',
    '(0028,0101) US 8',
    '(0028,0102) US 7',
    '(0028,0103) US 0',
    // PS3.5 A.4: empty Basic Offset Table, then the MP4 stream whole in one fragment.
    '(7fe0,0010) OB (PixelSequence)',
    '  (fffe,e000) pi (no value available)',
    `  (fffe,e000) pi =${mp4}`,
    '(fffe,e0dd) na (SequenceDelimitationItem)',
  ];
  await writeFile(dump, lines.join('\n') + '\n');
  await mustRun('dump2dcm', ['-q', dump, file]);
  return file;
}

async function mustRun(
  tool: Parameters<typeof runTool>[0],
  args: readonly string[],
): Promise<string> {
  const result = await runTool(tool, args);
  if (result.code !== 0) throw new Error(`${tool} failed (${result.code}):\n${outputText(result)}`);
  return outputText(result);
}

/** C-STORE of the photo (proposing JPEG Baseline, -xy) and the video (H.264 HP L4.1 only, -xn). */
async function storePhotoAndVideo(port: number, calledAet: string): Promise<void> {
  const common = ['-R', '-aet', DEMO_STATION_AET, '-aec', calledAet, '127.0.0.1', String(port)];
  await mustRun('storescu', ['-xy', ...common, photo]);
  await mustRun('storescu', ['-xn', ...common, video]);
}

/** The peer beforeAll started; throws (failing the test clearly) if start-up failed. */
function started<T>(peer: T | undefined): T {
  if (peer === undefined) throw new Error('the peer did not start: see the beforeAll error');
  return peer;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Value of one text attribute in dcmdump output, decoded as UTF-8 (the responses' charset). */
function dumpedValue(dump: string, tag: string): string | undefined {
  const match = new RegExp(`^\\s*\\(${tag}\\) \\w\\w \\[(.*)\\]\\s+#`, 'm').exec(dump);
  return match?.[1];
}

describe('test/services: the real-peer rig', () => {
  beforeAll(async () => {
    requireTool('ffmpeg', 'ffmpeg');
    work = await mkdtemp(path.join(os.tmpdir(), 'services-test-'));
    [photo, video] = await Promise.all([makePhoto(work), makeVideo(work)]);
    // Deliberately broken: ImageType is Type 1 in the VL Photographic Image module.
    broken = path.join(work, 'broken.dcm');
    await copyFile(photo, broken);
    await mustRun('dcmodify', ['-nb', '-ea', '(0008,0008)', broken]);

    const worklistDir = path.join(work, 'worklist');
    await writeWorklistFolder(worklistDir, 'WORKLIST', demoWorklistItems);
    // Assign each peer as soon as it is up, so afterAll stops it even if another failed to start.
    await Promise.all([
      startOrthanc({ aet: DEMO_STATION_AET })
        .then((standIn) => {
          stationStandIn = standIn;
          const station = { aet: DEMO_STATION_AET, host: '127.0.0.1', port: standIn.dicomPort };
          return startOrthanc({ modalities: { STATION: station } });
        })
        .then((peer) => (orthanc = peer)),
      startStorescp({ outDir: path.join(work, 'received') }).then((peer) => (storescp = peer)),
      startWorklistServer({ worklistDir, aet: 'WORKLIST' }).then((peer) => (worklist = peer)),
    ]);
  });

  afterAll(async () => {
    await Promise.all([
      orthanc?.stop(),
      storescp?.stop(),
      worklist?.stop(),
      stationStandIn?.stop({ graceMs: 0 }),
    ]);
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('Orthanc answers its REST API and DICOMweb', async () => {
    const peer = started(orthanc);
    expect(peer.baseUrl).toBe(`http://127.0.0.1:${peer.httpPort}`);
    expect(peer.dicomWebUrl).toBe(`${peer.baseUrl}/dicom-web`);
    const system = await fetch(`${peer.baseUrl}/system`);
    expect(system.status).toBe(200);
    expect(((await system.json()) as { DicomAet: string }).DicomAet).toBe('ORTHANC');
    const studies = await fetch(`${peer.dicomWebUrl}/studies`);
    expect(studies.status).toBe(200);
    await studies.arrayBuffer();
    const modalities = await fetch(`${peer.baseUrl}/modalities?expand`);
    expect(await modalities.json()).toMatchObject({ STATION: { AET: DEMO_STATION_AET } });
  });

  it('every peer answers C-ECHO', async () => {
    expect(await cEcho(started(orthanc).dicomPort, started(orthanc).aet)).toBe(true);
    expect(await cEcho(started(storescp).port, started(storescp).aet)).toBe(true);
    expect(await cEcho(started(worklist).port, started(worklist).aet)).toBe(true);
  });

  it('storescp receives a photo and an MPEG-4 video', async () => {
    await storePhotoAndVideo(started(storescp).port, started(storescp).aet);
    const received = await readdir(started(storescp).outDir);
    expect(received).toEqual(
      expect.arrayContaining([`VLp.${PHOTO_SOP_INSTANCE_UID}`, `VVe.${VIDEO_SOP_INSTANCE_UID}`]),
    );
    const meta = await mustRun('dcmdump', [
      '-M',
      '-Un',
      '+P',
      '0002,0010',
      path.join(started(storescp).outDir, `VVe.${VIDEO_SOP_INSTANCE_UID}`),
    ]);
    expect(meta).toContain(`[${MPEG4_HP41}]`);
  });

  it('Orthanc stores a photo and an MPEG-4 video and lists them over QIDO-RS', async () => {
    const peer = started(orthanc);
    await storePhotoAndVideo(peer.dicomPort, peer.aet);
    for (const [patientId, sopInstanceUid] of [
      ['RIG-PHOTO', PHOTO_SOP_INSTANCE_UID],
      ['RIG-VIDEO', VIDEO_SOP_INSTANCE_UID],
    ] as const) {
      const response = await fetch(`${peer.dicomWebUrl}/instances?PatientID=${patientId}`, {
        headers: { Accept: 'application/dicom+json' },
      });
      expect(response.status).toBe(200);
      const instances = (await response.json()) as Array<Record<string, { Value?: unknown[] }>>;
      expect(instances.map((i) => i['00080018']?.Value?.[0])).toEqual([sopInstanceUid]);
    }
  });

  it('Orthanc sends a storage-commitment report to a station listed in `modalities`', async () => {
    const archive = started(orthanc);
    const station = started(stationStandIn);
    const common = ['-R', '-xy', '-aec', archive.aet, '127.0.0.1', String(archive.dicomPort)];
    await mustRun('storescu', [...common, photo]);
    // The stand-in asks for commitment (N-ACTION, PS3.4 J.3.3); the archive answers with an
    // N-EVENT-REPORT on a new association to the STATION modality: one success, one failure.
    const addArchive = await fetch(`${station.baseUrl}/modalities/archive`, {
      method: 'PUT',
      body: JSON.stringify({ AET: archive.aet, Host: '127.0.0.1', Port: archive.dicomPort }),
    });
    expect(addArchive.status).toBe(200);
    await addArchive.arrayBuffer();
    const missing = '2.25.1';
    const request = await fetch(`${station.baseUrl}/modalities/archive/storage-commitment`, {
      method: 'POST',
      body: JSON.stringify({
        DicomInstances: [PHOTO_SOP_INSTANCE_UID, missing].map((uid) => ({
          SOPClassUID: VL_PHOTOGRAPHIC_IMAGE,
          SOPInstanceUID: uid,
        })),
        Timeout: 10,
      }),
    });
    const { Path: reportPath } = (await request.json()) as { Path: string };
    let report: { Status: string; Success?: unknown[]; Failures?: unknown[] } = { Status: '' };
    for (let attempt = 0; attempt < 50; attempt++) {
      report = (await (await fetch(`${station.baseUrl}${reportPath}`)).json()) as typeof report;
      if (report.Status !== 'Pending') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(report).toMatchObject({
      Status: 'Failure',
      Success: [{ SOPInstanceUID: PHOTO_SOP_INSTANCE_UID }],
      Failures: [{ SOPInstanceUID: missing }],
    });
  });

  it('the worklist returns the demo items with UTF-8 names intact', async () => {
    const responses = path.join(work, 'find-responses');
    await mkdir(responses);
    const keys = [
      'SpecificCharacterSet',
      'PatientName',
      'PatientID',
      'AccessionNumber',
      'ScheduledProcedureStepSequence[0].Modality',
      `ScheduledProcedureStepSequence[0].ScheduledStationAETitle=${DEMO_STATION_AET}`,
      'ScheduledProcedureStepSequence[0].ScheduledPerformingPhysicianName',
    ];
    await mustRun('findscu', [
      ...['-W', '-aet', DEMO_STATION_AET, '-aec', started(worklist).aet, '-X', '-od', responses],
      ...keys.flatMap((key) => ['-k', key]),
      ...['127.0.0.1', String(started(worklist).port)],
    ]);
    const files = (await readdir(responses)).sort();
    const found = [];
    for (const file of files) {
      const result = await runTool('dcmdump', [path.join(responses, file)]);
      const dump = result.stdout.toString('utf8');
      found.push({
        charset: dumpedValue(dump, '0008,0005'),
        name: dumpedValue(dump, '0010,0010'),
        performer: dumpedValue(dump, '0040,0006'),
      });
    }
    const expected = demoWorklistItems.map((item) => ({
      charset: 'ISO_IR 192',
      name: item.PatientName,
      performer: item.ScheduledPerformingPhysicianName,
    }));
    expect(found).toEqual(expect.arrayContaining(expected));
    expect(found).toHaveLength(expected.length);
  });

  it('expectValidDicom passes a valid instance and throws on a broken one', async () => {
    await expect(expectValidDicom(photo)).resolves.toContain('VLPhotographicImage');
    await expect(expectValidDicom(broken)).rejects.toThrow(/Error.*ImageType/);
  });

  it('recognises "address in use" from storescp and wlmscpfs, and retries once', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen({ port: 0, host: '0.0.0.0' }, resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      for (const [tool, args] of [
        ['storescp', [String(port)]],
        ['wlmscpfs', ['-s', '-dfp', work, String(port)]],
      ] as const) {
        const service = spawnService({
          name: tool,
          command: resolveTool(tool, 'dcmtk'),
          args,
          logFile: path.join(work, `${tool}-in-use.log`),
        });
        const failure = waitUntilReady(service, () => cEcho(port, 'ANY'), 5_000);
        await expect(failure).rejects.toBeInstanceOf(ServiceStartError);
        await expect(failure).rejects.toMatchObject({ addressInUse: true });
      }
    } finally {
      blocker.close();
    }
    let attempts = 0;
    const result = await retryOnAddressInUse(() => {
      attempts += 1;
      if (attempts === 1) throw new ServiceStartError('port taken', true);
      return Promise.resolve('started');
    });
    expect([result, attempts]).toEqual(['started', 2]);
    await expect(
      retryOnAddressInUse(() => Promise.reject(new ServiceStartError('broken', false))),
    ).rejects.toThrow('broken');
  });

  it('requireTool names the Debian package to install', () => {
    expect(() => requireTool('no-such-dicom-tool', 'no-such-package')).toThrow(
      'no-such-dicom-tool is not installed: run `apt-get install -y no-such-package`',
    );
  });

  it('stop() ends every peer and leaves no process behind', async () => {
    const peers = [started(orthanc), started(storescp), started(worklist)];
    const standIn = started(stationStandIn);
    const pids = [...peers, standIn].map((peer) => peer.pid);
    expect(pids.every(isRunning)).toBe(true);
    await Promise.all([...peers.map((peer) => peer.stop()), standIn.stop({ graceMs: 0 })]);
    expect(pids.filter(isRunning)).toEqual([]);
    await expect(fetch(`${started(orthanc).baseUrl}/system`)).rejects.toThrow();
    expect(await cEcho(started(storescp).port, started(storescp).aet)).toBe(false);
  });
});
