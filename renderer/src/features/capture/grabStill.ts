import { blobToBase64 } from './blobToBase64';
import { EncoderStoppedError, encodeInWorker, type EncodedStill } from './stillEncoder';

/** User Timing of the last still, frame to base64 JPEG (read by bench/capture/shutter.bench.ts). */
const ENCODE_MEASURE = 'capture:still-encode';

/** JPEG quality for stills: visually lossless for clinical photos, ~10:1 at 1080p. */
const JPEG_QUALITY = 0.92;

/**
 * The frame on screen, as JPEG bytes in base64 plus a thumbnail URL, at the camera's full
 * resolution (not the preview element's). The frame is taken at the call; it is encoded in a
 * worker where the browser can (stillEncoder.ts), else on the page. Throws when there is no
 * picture yet or the encode fails.
 */
export async function grabStill(
  video: HTMLVideoElement,
): Promise<{ jpegBase64: string; thumbnailUrl: string }> {
  if (video.videoWidth === 0) throw new Error('the camera has no picture yet');
  const started = performance.now();
  const { jpeg, jpegBase64 } = await (
    encodeInWorker(video, JPEG_QUALITY) ?? encodeOnPage(video)
  ).catch((error: unknown) => {
    // A worker that could not start took the frame with it: take the one on screen now.
    if (error instanceof EncoderStoppedError) return encodeOnPage(video);
    throw error;
  });
  performance.clearMeasures(ENCODE_MEASURE); // only the last shot's: the timeline stays small
  performance.measure(ENCODE_MEASURE, { start: started });
  return { jpegBase64, thumbnailUrl: URL.createObjectURL(jpeg) };
}

async function encodeOnPage(video: HTMLVideoElement): Promise<EncodedStill> {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser cannot draw the camera frame');
  context.drawImage(video, 0, 0);
  const jpeg = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('JPEG encoding failed'))),
      'image/jpeg',
      JPEG_QUALITY,
    ),
  );
  return { jpeg, jpegBase64: await blobToBase64(jpeg) };
}

/** One context for the page: opening one per shot costs the main thread several ms each time. */
let audio: AudioContext | undefined;

/** A short click so the operator hears the shutter without looking away from the patient. */
export function shutterSound(): void {
  try {
    audio ??= new AudioContext();
    // A context made outside a user gesture (a foot pedal) starts suspended.
    if (audio.state === 'suspended') audio.resume().catch(() => undefined);
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = 1800;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.08);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + 0.08);
    oscillator.onended = () => gain.disconnect();
  } catch {
    // No audio device: the visual flash still confirms the capture.
  }
}
