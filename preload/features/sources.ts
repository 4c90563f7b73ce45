/**
 * Contract part for camera and capture-card sources (issue 6, item 1): the station remembers
 * which source and format this workstation uses. Spread into `methods`/`events` in ../contract.ts.
 */
import { z } from 'zod';

/**
 * The chosen camera or capture card. Browsers may give a device a new deviceId when it is plugged
 * into another port or after the site's data is cleared; the label lets the renderer recognise
 * the same device under a new id.
 */
export const CaptureSource = z
  .object({
    deviceId: z.string().min(1).max(512),
    label: z.string().max(256),
  })
  .strict();
export type CaptureSource = z.infer<typeof CaptureSource>;

/** The asked-for format; the camera may deliver another one (the renderer shows what it got). */
export const CaptureFormat = z
  .object({
    width: z.number().int().min(160).max(7680),
    height: z.number().int().min(120).max(4320),
    frameRate: z.number().min(1).max(240),
  })
  .strict();
export type CaptureFormat = z.infer<typeof CaptureFormat>;

/** This station's camera choice; an absent part means "the department's default". */
export const CapturePreferences = z
  .object({ source: CaptureSource.optional(), format: CaptureFormat.optional() })
  .strict();
export type CapturePreferences = z.infer<typeof CapturePreferences>;

export const sourceMethods = {
  /** The station's remembered source and format; `{}` when none was chosen yet. */
  getCapturePreferences: {
    input: z.object({}).strict().optional(),
    output: CapturePreferences,
  },
  /** Replaces the remembered choice; resolves once it is on disk (atomic write). */
  setCapturePreferences: { input: CapturePreferences, output: CapturePreferences },
} as const;
export const sourceEvents = {} as const;
