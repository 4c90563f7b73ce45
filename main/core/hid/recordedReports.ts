/**
 * Recorded report sequences: what a device sent and when, as JSON, for the replay backend.
 * Shape of a sequence: `[{ "atMs": 0, "report": "0100" }, …]` — atMs counts from the moment the
 * device is opened, report is the input report in hex exactly as node-hid delivers it (report ID
 * first when the device numbers its reports). A recording adds the device's list entry.
 */
import { z } from 'zod';
import type { HidDeviceInfo } from './types';

const hexReport = z
  .string()
  .regex(/^([0-9a-fA-F]{2})+$/, 'report must be an even number of hex digits');

export const recordedReportSchema = z.object({
  atMs: z.number().nonnegative(),
  report: hexReport,
});

export const reportSequenceSchema = z.array(recordedReportSchema);

const usageNumber = z.number().int().min(0).max(0xffff);

export const recordingSchema = z.object({
  /** Free text: what was done while recording (which pedal, how long held). */
  description: z.string().optional(),
  device: z.object({
    vendorId: usageNumber,
    productId: usageNumber,
    path: z.string().min(1),
    product: z.string().optional(),
    manufacturer: z.string().optional(),
    usagePage: usageNumber.optional(),
    usage: usageNumber.optional(),
  }),
  reports: reportSequenceSchema,
});

export type RecordedReport = z.infer<typeof recordedReportSchema>;

export interface Recording {
  readonly description?: string;
  readonly device: HidDeviceInfo;
  readonly reports: readonly RecordedReport[];
}

/** Validates a parsed JSON recording; throws a ZodError naming the bad field. */
export function parseRecording(json: unknown): Recording {
  return recordingSchema.parse(json);
}

export function reportBytes(report: RecordedReport): Buffer {
  return Buffer.from(report.report, 'hex');
}
