import { namedSql } from '../db/named-sql';

/** A delivery attempt now. 'replace': a retry still waiting for its time is replaced by it, not doubled. */
export const ENQUEUE_REDELIVERY = namedSql<{ deliveryId: string }>(
  `select id from graphile_worker.add_job('webhook-deliver',
     json_build_object('deliveryId', :deliveryId::text, 'manual', true),
     max_attempts => 1, job_key => 'webhook:' || :deliveryId, job_key_mode => 'replace')`,
);
