// Timestamps are `timestamp(3)` without a zone, written by Prisma as UTC wall time. Raw SQL uses the
// database's clock in the same form, so heartbeats compare on one clock across machines.
export const NOW = "(now() at time zone 'utc')";
