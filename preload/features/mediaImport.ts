/**
 * Contract part for patient CD/DVD import (issue 8): media found, study browser, reconciliation,
 * sending and the closing report. Spread into `methods`/`events` in ../contract.ts.
 */
export const mediaImportMethods = {} as const;
export const mediaImportEvents = {} as const;
