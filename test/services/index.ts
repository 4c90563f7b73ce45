/**
 * The real-peer test rig: Orthanc (with DICOMweb), DCMTK storescp and wlmscpfs on fresh ports,
 * worklist fixtures, and dciodvfy validation. Every process it starts is stopped by its stop(),
 * or killed when the test process exits or dies.
 */
export { startOrthanc, type Orthanc, type OrthancOptions } from './orthanc';
export { startStorescp, type Storescp, type StorescpOptions } from './storescp';
export {
  startWorklistServer,
  type WorklistServer,
  type WorklistServerOptions,
} from './worklistServer';
export {
  writeWorklistFolder,
  MWL_RETURN_KEYS,
  type WorklistFixtureItem,
  type FixtureDataset,
  type FixtureValue,
} from './worklistFolder';
export { expectValidDicom } from './expectValidDicom';
export { freePort, canConnect } from './freePort';
export {
  requireTool,
  resolveTool,
  findTool,
  runTool,
  outputText,
  debianPackageOf,
  TOOL_PACKAGES,
  type KnownTool,
  type ToolResult,
} from './tools';
export { cEcho } from './echo';
