import { hostname } from 'node:os';
import packageJson from '../../../package.json';
import type { EquipmentContext } from './context';

/** General Equipment values that name this software (PS3.3 C.7.5.1). */
export const STATION_MANUFACTURER = 'Capture Station';
export const STATION_MODEL = 'Capture Station';

export interface StationIdentity {
  readonly name: string;
  readonly aeTitle: string;
  readonly institution?: string;
  readonly department?: string;
}

/**
 * The equipment context of this station from its configuration. Device Serial Number (Type 1 where
 * the Enhanced General Equipment Module applies) is the host name unless configured: it identifies
 * the cart the image came from, which is what a serial number is for here.
 */
export function stationEquipment(
  station: StationIdentity,
  deviceSerialNumber: string = hostname(),
): EquipmentContext {
  return {
    manufacturer: STATION_MANUFACTURER,
    modelName: STATION_MODEL,
    softwareVersion: packageJson.version,
    deviceSerialNumber: deviceSerialNumber.slice(0, 64),
    stationName: station.name.slice(0, 16),
    aeTitle: station.aeTitle,
    ...(station.institution ? { institutionName: station.institution } : {}),
    ...(station.department ? { departmentName: station.department } : {}),
  };
}
