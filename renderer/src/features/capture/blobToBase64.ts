/** A Blob's bytes in base64 (FileReader: native, works in a worker too). Rejects if unreadable. */
export function blobToBase64(blob: Blob): Promise<string> {
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
