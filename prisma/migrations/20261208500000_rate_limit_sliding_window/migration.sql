-- The rate limit as a sliding window (server/keys/rate-limit.ts): "RateLimitWindow" rows become
-- 5-second buckets of accepted requests, and a request is accepted only while the buckets of the last
-- 65 s hold fewer than the limit, so no 60 s ever sees more than the limit (no double burst at a
-- minute boundary). Refused requests are not counted. One call takes a batch of keys (group commit),
-- locking each key's current bucket in key order.
create or replace function etl_rate_limit_take(
  p_keys uuid[], p_wanted int[], p_limits int[], p_bucket bigint, p_span int
) returns table ("keyId" uuid, granted int, used int, oldest bigint)
language plpgsql as $$
#variable_conflict use_column
declare
  i int;
  k uuid;
  cur int;
  prior int;
  first_bucket bigint;
  g int;
begin
  for i in select s.i from generate_subscripts(p_keys, 1) as s(i) order by p_keys[s.i] loop
    k := p_keys[i];
    insert into "RateLimitWindow" as w ("keyId", "windowStart", count) values (k, p_bucket, 0)
      on conflict ("keyId", "windowStart") do nothing;
    select w.count into cur from "RateLimitWindow" w
      where w."keyId" = k and w."windowStart" = p_bucket for update;
    select coalesce(sum(w.count), 0), min(w."windowStart") filter (where w.count > 0)
      into prior, first_bucket
      from "RateLimitWindow" w
      where w."keyId" = k and w."windowStart" >= p_bucket - p_span and w."windowStart" < p_bucket;
    g := least(p_wanted[i], greatest(0, p_limits[i] - prior - cur));
    if g > 0 then
      update "RateLimitWindow" w set count = cur + g where w."keyId" = k and w."windowStart" = p_bucket;
    end if;
    "keyId" := k;
    granted := g;
    used := prior + cur + g;
    oldest := coalesce(first_bucket, case when cur + g > 0 then p_bucket end);
    return next;
  end loop;
end
$$;
