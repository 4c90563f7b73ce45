import { outputText, runTool } from './tools';

/**
 * Runs dciodvfy (dicom3tools, the standard's IOD checker) on the file. Throws an Error whose
 * message contains dciodvfy's full output if any line contains "Error" (PS: an unreadable or
 * missing file is reported by dciodvfy as an Error too). Returns the output, i.e. the warnings,
 * otherwise. Throws "dciodvfy is not installed: …" when dicom3tools is missing.
 */
export async function expectValidDicom(file: string): Promise<string> {
  const result = await runTool('dciodvfy', [file], { timeoutMs: 60_000 });
  const output = outputText(result);
  if (output.split('\n').some((line) => line.includes('Error'))) {
    throw new Error(`dciodvfy found errors in ${file}:\n${output}`);
  }
  return output;
}
