/** JPEG quality for stills: visually lossless for clinical photos, ~10:1 at 1080p. */
const JPEG_QUALITY = 0.92;

/**
 * The frame on screen, as JPEG bytes in base64 plus a thumbnail URL. The canvas is the size of
 * the camera's frame, not of the preview element, so the still has the camera's full resolution.
 */
export async function grabStill(
  video: HTMLVideoElement,
): Promise<{ jpegBase64: string; thumbnailUrl: string }> {
  if (video.videoWidth === 0) throw new Error('the camera has no picture yet');
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser cannot draw the camera frame');
  context.drawImage(video, 0, 0);
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('JPEG encoding failed'))),
      'image/jpeg',
      JPEG_QUALITY,
    ),
  );
  return { jpegBase64: await base64Of(blob), thumbnailUrl: URL.createObjectURL(blob) };
}

function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      resolve(url.replace(/^data:[^,]*,/, ''));
    };
    reader.onerror = () => reject(reader.error ?? new Error('cannot read the JPEG'));
    reader.readAsDataURL(blob);
  });
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
