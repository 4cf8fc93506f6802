/** The settings of `npm run bench`: how much work each figure does, and the prices its cost figure uses. */

/** How much work each figure does. */
export const SIZES = { latencyEvents: 500, throughputEvents: 2_000, throughputRounds: 3, concurrency: 32, coldImportRuns: 15 } as const;

/** List prices used for figure 6 (us-east-1, arm64, on-demand, as published by AWS in 2026). */
export const PRICES = {
  lambdaPerMillionRequests: 0.2,
  lambdaPerGbSecondArm: 0.0000133334,
  lambdaMemoryGb: 0.25,
  dynamoDbPerMillionWriteUnits: 0.625,
  dynamoDbPerMillionReadUnits: 0.125,
  snsPerMillionPublishes: 0.5,
  logsPerGbIngested: 0.5,
  sqsPerMillionRequests: 0.4,
} as const;
