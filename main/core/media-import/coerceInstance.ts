/**
 * Reconciliation of one outside instance to a local patient (IHE Import Reconciliation Workflow,
 * RAD-66/67 semantics): Patient ID, Issuer, Name, Birth Date, Sex — and Accession Number when an
 * import order gives one — are coerced; the previous values go into a new item of the Original
 * Attributes Sequence (0400,0561; PS3.3 C.12.1.1.9, reason COERCE) and the outside ID into Other
 * Patient IDs Sequence (0010,1002; PS3.3 C.7.1.1); the new header is made in coercedHeader.ts.
 * Everything else is kept byte for byte: the meta group and every untouched element are copied as
 * read, and the pixel data is streamed from the source file in chunks, never held in memory whole.
 *
 * Durability is the delivery's job, not this function's: every caller hands the result to the
 * outbox (enqueue with move), which fsyncs the data, then renames it into its spool and fsyncs
 * the folder — the one moment an import may be called saved. Syncing here as well cost two more
 * device flushes per instance (~4 ms each on the bench disk: 15 of 36 ms per instance of a
 * 2,000-instance import, bench/import). A crash mid-import leaves at most a partial file in that
 * run's work folder, which no later run reads.
 */
import { asyncFiles, type CoerceFiles, type SourceFile, type TargetFile } from './coerceFiles';
import type { Part10Info } from '../dimse/part10';
import { charsetChanged, rewriteHeader } from './coercedHeader';
import { scanHeaderInto, type ScannedHeader } from './scanHeader';
import { assertNoTextAfterPixelData } from './convertCharset';
import { assertSurveyed, type SurveyedIdentity } from './surveyedIdentity';
import type { OpenFile } from './types';

/** The local patient the outside data is reconciled to. */
export interface LocalPatient {
  readonly patientId: string;
  readonly issuerOfPatientId?: string;
  /** DICOM PN form, e.g. "DOE^JANE". */
  readonly name: string;
  /** DA, YYYYMMDD, or '' when unknown. */
  readonly birthDate?: string;
  /** M, F, O or ''. */
  readonly sex?: string;
}

export interface CoerceOptions {
  readonly patient: LocalPatient;
  readonly accessionNumber?: string;
  /** Modifying System (0400,0563), e.g. the station's AE title. */
  readonly modifyingSystem: string;
  readonly now?: Date;
  readonly openFile?: OpenFile;
  /** How files are opened, written and removed; default: asynchronously, through `openFile`. */
  readonly files?: CoerceFiles;
  /**
   * The instance as surveyed, which the file must still be (surveyedIdentity.ts); the imports
   * always pass it. Absent: the file is coerced as found.
   */
  readonly expected?: SurveyedIdentity;
}

export interface CoerceResult {
  readonly target: string;
  readonly sopInstanceUid: string;
  /**
   * The target as the outbox would read it (meta group copied as read, so the same syntax, UIDs
   * and data set offset; its size as written): enqueue need not open it again.
   */
  readonly part10: Part10Info;
  /** Offsets of (7FE0,0010) in the source and the target (undefined: no pixel data). */
  readonly sourcePixelDataOffset: number | undefined;
  readonly targetPixelDataOffset: number | undefined;
}

const COPY_CHUNK = 1024 * 1024;

/**
 * Copy buffers kept for the next instance: a fresh 1 MiB buffer per instance was 2 GB of
 * allocations per 2,000-instance disc, and V8 collects garbage by external memory too.
 * A few instances are coerced at once (importPipeline), so a few buffers are kept.
 */
const spareChunks: Buffer[] = [];
const MAX_SPARE_CHUNKS = 8;

function takeChunk(): Buffer {
  return spareChunks.pop() ?? Buffer.allocUnsafe(COPY_CHUNK);
}

function giveBackChunk(chunk: Buffer): void {
  if (spareChunks.length < MAX_SPARE_CHUNKS) spareChunks.push(chunk);
}

/**
 * Writes the new header, then the source's bytes from its pixel data on: first those the scan
 * read already (`read`, the file from offset 0), in the same write as the header, then the rest
 * in chunks of at most 1 MiB through `chunk`. A file under 1 MiB is one read and one write.
 * Throws MediaFileError, before writing, when the new header declares another character set and
 * what follows the pixel data may hold text in the old one (convertCharset.ts).
 */
async function writeCoerced(
  from: SourceFile,
  newHeader: Buffer,
  scanned: { readonly header: ScannedHeader; readonly read: Buffer },
  chunk: Buffer,
  to: TargetFile,
): Promise<void> {
  const { pixelDataOffset: start, fileSize: end } = scanned.header;
  if (charsetChanged(scanned.header, newHeader))
    await assertNoTextAfterPixelData(from, scanned.header);
  if (start === undefined || start >= end) {
    await writeAll(to, [newHeader]);
    return;
  }
  let at = Math.max(start, Math.min(scanned.read.length, end));
  await writeAll(to, [newHeader, scanned.read.subarray(start, at)]);
  while (at < end) {
    const { bytesRead } = await from.read(chunk, 0, Math.min(chunk.length, end - at), at);
    if (bytesRead === 0) throw new Error('source file shrank while being copied');
    await writeAll(to, [chunk.subarray(0, bytesRead)]);
    at += bytesRead;
  }
}

/** writev until every byte is written (a short write is legal, if rare, for regular files). */
async function writeAll(to: TargetFile, buffers: Buffer[]): Promise<void> {
  let rest = buffers;
  while (rest.length > 0) {
    let { bytesWritten } = await to.writev(rest);
    const left: Buffer[] = [];
    for (const buffer of rest) {
      if (bytesWritten >= buffer.length) bytesWritten -= buffer.length;
      else {
        left.push(buffer.subarray(bytesWritten));
        bytesWritten = 0;
      }
    }
    rest = left;
  }
}

/**
 * Coerces `source` (a file already confined to the medium) into `target`, which must not exist
 * yet (never overwritten). Throws MediaFileError when the source cannot be read safely or the new
 * values cannot be written in its character set; on any failure no target file is left behind.
 * The target is complete when this resolves but not yet fsynced: see the module comment.
 */
export async function coerceInstance(
  source: string,
  target: string,
  options: CoerceOptions,
): Promise<CoerceResult> {
  const files = options.files ?? asyncFiles(options.openFile);
  const input = await files.openSource(source);
  const chunk = takeChunk();
  let created = false;
  try {
    const scanned = await scanHeaderInto(input, chunk);
    const { header } = scanned;
    if (options.expected) assertSurveyed(options.expected, header);
    const newHeader = rewriteHeader(header, options);
    const output = await files.createTarget(target);
    created = true;
    try {
      await writeCoerced(input, newHeader, scanned, chunk, output);
    } finally {
      await output.close();
    }
    const copied =
      header.pixelDataOffset === undefined ? 0 : header.fileSize - header.pixelDataOffset;
    return {
      target,
      sopInstanceUid: header.sopInstanceUid,
      part10: {
        path: target,
        sopClassUid: header.sopClassUid,
        sopInstanceUid: header.sopInstanceUid,
        transferSyntaxUid: header.transferSyntaxUid,
        dataSetOffset: header.dataSetOffset,
        fileSize: newHeader.length + Math.max(0, copied),
      },
      sourcePixelDataOffset: header.pixelDataOffset,
      targetPixelDataOffset: header.pixelDataOffset === undefined ? undefined : newHeader.length,
    };
  } catch (error) {
    if (created) await files.remove(target);
    throw error;
  } finally {
    giveBackChunk(chunk);
    await input.close();
  }
}
