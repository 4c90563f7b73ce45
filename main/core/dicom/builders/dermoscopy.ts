import type { NaturalDataset } from 'dcmjs';
import type { CaptureContext } from '../context';
import { newUid } from '../uids';

/** DS (PS3.5 6.2): at most 16 characters; a magnification such as 10 or 12.5. */
function decimalString(value: number): string {
  const text = String(Number(value.toPrecision(8)));
  return text.length <= 16 ? text : value.toExponential(6);
}

/**
 * PS3.3 C.8.12.13 Dermoscopic Image Module and the Frame of Reference Module the Dermoscopic
 * Photography Image IOD (A.32.11) adds, so later images of the same lesion can be registered.
 * The optics are Type 2: Light Source Polarization (0016,1001, POLARIZED or NON_POLARIZED),
 * Contact Method (0016,1003, CONTACT or NON_CONTACT) with Immersion Media (0016,1004, Type 2C
 * when CONTACT: ULTRASOUND_GEL, ALCOHOL, MINERAL_OIL, PLASTIC_CAP) and Optical Magnification
 * Factor (0016,1005) carry what the operator set in review, and stay empty when not given — an
 * empty value is honest where a guess would not be. Emitter Color Temperature is never known.
 */
export function dermoscopicImageModule(context: CaptureContext): NaturalDataset {
  const optics = context.dermoscopy ?? {};
  return {
    // PS3.3 C.7.4.1: one frame of reference per series (same lesion, same session).
    FrameOfReferenceUID: context.series.frameOfReferenceUid ?? newUid(),
    PositionReferenceIndicator: '',
    // A dermoscope image is a close-up of skin: no face or other identifying feature.
    RecognizableVisualFeatures: 'NO',
    LightSourcePolarization: optics.polarization ?? '',
    EmitterColorTemperature: '',
    ContactMethod: optics.contact ?? '',
    // Type 2C: required (possibly empty) when the dermoscope touches the skin.
    ...(optics.contact === 'CONTACT' ? { ImmersionMedia: optics.immersion ?? '' } : {}),
    OpticalMagnificationFactor:
      optics.magnification === undefined ? '' : decimalString(optics.magnification),
  };
}
