/**
 * sharp (libvips), loaded on first use: loading it costs ~140 ms at startup, which every
 * `capture-station` command and import paid although only stills and thumbnails decode images.
 */
import type sharpModule from 'sharp';

export type SharpFactory = typeof sharpModule;

let loading: Promise<SharpFactory> | undefined;

export function loadSharp(): Promise<SharpFactory> {
  loading ??= import('sharp').then((m) => m.default);
  return loading;
}
