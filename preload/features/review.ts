/**
 * Contract part for review before sending (issue 6, item 5). Spread into `methods`/`events` in
 * ../contract.ts.
 */
export const reviewMethods = {} as const;
export const reviewEvents = {} as const;
