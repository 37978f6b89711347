-- Ends a commit whose units DynamoDB has taken: mirrors the new on-hand values and drops the hold's held units
-- once (only a hold still held or committing counts them). Availability is unchanged: on hand and held both fell.
-- KEYS: ready, avail, expiry, hold. ARGV: prefix, hold id, tombstone ms, then sku, bucket, on hand, version per part.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NOT_READY'}
end
local touched = apply_stock(4)
local hold = KEYS[4]
local state = redis.call('HGET', hold, 'state')
if state == 'held' or state == 'committing' then
  for _, p in ipairs(cjson.decode(redis.call('HGET', hold, 'parts'))) do
    redis.call('HINCRBY', sku_key(p[1]), 'h|' .. p[2], -p[3])
    touched[#touched + 1] = p[1]
  end
  redis.call('HSET', hold, 'state', 'committed')
  redis.call('ZREM', KEYS[3], ARGV[2])
  redis.call('PEXPIRE', hold, ARGV[3])
end
local changed, seen = {}, {}
for _, sku in ipairs(touched) do
  if not seen[sku] then
    seen[sku] = true
    if refresh_avail(KEYS[2], sku) then
      changed[#changed + 1] = sku
    end
  end
end
return {'OK', unpack(changed)}
