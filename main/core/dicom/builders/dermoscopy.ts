import type { NaturalDataset } from 'dcmjs';
import type { CaptureContext } from '../context';
import { newUid } from '../uids';

/**
 * PS3.3 C.8.12.13 Dermoscopic Image Module and the Frame of Reference Module the Dermoscopic
 * Photography Image IOD (A.32.11) adds, so later images of the same lesion can be registered.
 * The optics (polarization, contact, magnification, colour temperature) are Type 2 and left empty:
 * the station does not know them, and an empty value is honest where a guess would not be.
 */
export function dermoscopicImageModule(context: CaptureContext): NaturalDataset {
  return {
    // PS3.3 C.7.4.1: one frame of reference per series (same lesion, same session).
    FrameOfReferenceUID: context.series.frameOfReferenceUid ?? newUid(),
    PositionReferenceIndicator: '',
    // A dermoscope image is a close-up of skin: no face or other identifying feature.
    RecognizableVisualFeatures: 'NO',
    LightSourcePolarization: '',
    EmitterColorTemperature: '',
    ContactMethod: '',
    OpticalMagnificationFactor: '',
  };
}
