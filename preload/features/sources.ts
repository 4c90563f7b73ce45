/**
 * Contract part for camera and capture-card sources (issue 6, item 1): the station remembers
 * which source and format this workstation uses. Spread into `methods`/`events` in ../contract.ts.
 */
export const sourceMethods = {} as const;
export const sourceEvents = {} as const;
