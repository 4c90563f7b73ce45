/**
 * Encodes camera frames as JPEG off the page's main thread (client: stillEncoder.ts). The frame
 * arrives as the VideoFrame taken at the shutter, is drawn on an OffscreenCanvas of its own size
 * and encoded at the quality asked for; the reply carries the JPEG and its base64, or why not.
 */
import { blobToBase64 } from './blobToBase64';
import type { EncodeReply, EncodeRequest } from './stillEncoder';

let canvas: OffscreenCanvas | undefined;

addEventListener('message', (event: MessageEvent<EncodeRequest>) => {
  const { id, frame, quality } = event.data;
  const reply = (message: EncodeReply) => postMessage(message);
  encode(frame, quality).then(
    (done) => reply({ id, ok: true, ...done }),
    (error: unknown) =>
      reply({ id, ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
});

async function encode(frame: VideoFrame, quality: number) {
  try {
    const { displayWidth: width, displayHeight: height } = frame;
    if (canvas?.width !== width || canvas.height !== height)
      canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw the camera frame');
    context.drawImage(frame, 0, 0);
    // Drawn: hand the camera its buffer back now rather than after the encode (its pool is small).
    frame.close();
    const jpeg = await canvas.convertToBlob({ type: 'image/jpeg', quality });
    return { jpeg, jpegBase64: await blobToBase64(jpeg) };
  } finally {
    frame.close(); // a no-op when already closed; frees the frame on the failure paths
  }
}
