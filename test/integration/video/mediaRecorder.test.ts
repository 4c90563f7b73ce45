import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareVideo, probeVideo, VideoTransferSyntax as TS } from '../../../main/core/video';
import { ffprobeStream, FixtureFactory, pictureDigests } from '../../unit/video/fixtures';

/** Debian's Chromium (DOMAIN.md); the fake camera feeds generated frames. */
const CHROMIUM = '/usr/bin/chromium';
const RECORD_MS = 2000;
const fixtures = new FixtureFactory();
afterAll(() => fixtures.dispose());

if (!existsSync(CHROMIUM))
  console.warn(`skipping MediaRecorder test: ${CHROMIUM} is not installed`);

/**
 * Runs in the page (kept as source text: this project's Node typecheck has no DOM types). Records
 * the fake camera with MediaRecorder as the capture screen does (issue 6: avc1.640028), in 500 ms
 * chunks, and returns the bytes as base64.
 */
const IN_PAGE_RECORDER = `async (milliseconds) => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 } });
  const recorder = new MediaRecorder(stream, {
    mimeType: 'video/mp4;codecs=avc1.640028',
    videoBitsPerSecond: 4000000,
  });
  const chunks = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  recorder.start(500);
  await new Promise((resolve) => setTimeout(resolve, milliseconds));
  await new Promise((resolve) => {
    recorder.onstop = resolve;
    recorder.stop();
  });
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}`;

/** getUserMedia needs a secure context: serve an empty page on loopback. */
async function emptyPage(): Promise<Server> {
  const server = createServer((_request, response) =>
    response.end('<!doctype html><title>rec</title>'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Launches Debian Chromium with the fake camera and writes what IN_PAGE_RECORDER recorded. */
async function recordFragmentedMp4(file: string): Promise<void> {
  const server = await emptyPage();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const base64 = await page.evaluate<string>(`(${IN_PAGE_RECORDER})(${RECORD_MS})`);
    await writeFile(file, Buffer.from(base64, 'base64'));
  } finally {
    await browser.close();
    server.close();
  }
}

describe.skipIf(!existsSync(CHROMIUM))(
  'a real Chromium MediaRecorder recording',
  { timeout: 60_000 },
  () => {
    it('is probed as fragmented H.264 High and remuxed to a .102 progressive MP4', async () => {
      const recording = join(await fixtures.workDir(), 'mediarecorder.mp4');
      await recordFragmentedMp4(recording);
      const reference = await ffprobeStream(recording);
      const probe = await probeVideo(recording);
      expect(probe).toMatchObject({
        codec: 'h264',
        profile: 'High',
        fragmented: true,
        width: 1280,
      });
      expect(probe.frameCount).toBe(Number(reference.nb_read_packets));

      const prepared = await prepareVideo(recording, join(await fixtures.workDir(), 'work'));
      expect(prepared).toMatchObject({
        method: 'remuxed',
        transferSyntaxUid: TS.MPEG4AVCH264HighProfileLevel41,
      });
      expect(await ffprobeStream(prepared.file)).toEqual(reference);
      // Chromium's variable timing makes ffmpeg's null muxer warn about equal DTS ticks on the
      // recording itself, so compare the decoded pictures instead of expecting a silent decode.
      expect(await pictureDigests(prepared.file)).toEqual(await pictureDigests(recording));
    });
  },
);
