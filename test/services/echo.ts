import { runTool } from './tools';

/**
 * C-ECHO (Verification, PS3.7 9.1.5) from DCMTK echoscu to 127.0.0.1:port, calling `calledAet`.
 * Resolves true on success, false when the association or the echo fails. Rejects only if
 * echoscu cannot be run.
 */
export async function cEcho(
  port: number,
  calledAet: string,
  callingAet = 'RIGTEST',
): Promise<boolean> {
  const result = await runTool(
    'echoscu',
    ['-aet', callingAet, '-aec', calledAet, '-to', '5', '-ta', '5', '127.0.0.1', String(port)],
    { timeoutMs: 10_000 },
  );
  return result.code === 0;
}
