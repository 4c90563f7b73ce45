/**
 * Foot pedals, buttons and HID bar code scanners. Nothing here loads node-hid until
 * createNodeHidBackend()'s first call; nothing imports electron.
 */
export * from './types';
export { HidAccessError, HidUnavailableError, UDEV_FIX, UDEV_RULE_FILE } from './HidAccessError';
export { createNodeHidBackend, type NodeHidBackendOptions } from './nodeHidBackend';
export { ReplayBackend } from './ReplayBackend';
export { parseRecording, type Recording, type RecordedReport } from './recordedReports';
export { HotplugMonitor, DEFAULT_POLL_INTERVAL_MS } from './HotplugMonitor';
export { HidHub, type HidConsumer, type HidDeviceStatus, type HidDeviceState } from './HidHub';
export { KNOWN_VENDORS, knownRole, type DeviceRole } from './knownDevices';
export {
  PEDAL_ACTIONS,
  buttonKey,
  type PedalAction,
  type PedalBinding,
  type PedalButton,
  type HidButton,
  type KeyButton,
} from './pedal/buttons';
export { BindingStore, BindingFileError } from './pedal/BindingStore';
export {
  PedalService,
  LearnAbortedError,
  DEBOUNCE_MS,
  type PedalPress,
  type PedalServiceOptions,
} from './pedal/PedalService';
export { ScannerService, type HidScan, type ScannerServiceOptions } from './scanner/ScannerService';
export { DEFAULT_POS_LAYOUT, decodePosReport, type PosReportLayout } from './scanner/posScanReport';
export { KeyboardScanDecoder } from './scanner/KeyboardScanDecoder';
export { startHid, type HidStation, type StartHidOptions } from './startHid';
export { recordReports } from './recordReports';
