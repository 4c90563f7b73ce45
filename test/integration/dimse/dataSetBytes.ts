import { readFile } from 'node:fs/promises';
import { readPart10Info } from '../../../main/core/dimse/part10';

/** The data set bytes of a Part-10 file: everything after its File Meta Information. */
export async function dataSetBytes(file: string): Promise<Buffer> {
  const info = await readPart10Info(file);
  return (await readFile(file)).subarray(info.dataSetOffset);
}
