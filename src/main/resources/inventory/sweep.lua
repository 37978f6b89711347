-- Returns the units of holds past their expiry, hands back commits past their roll-forward deadline, and skips the
-- gaps that commit finishes have waited on for the roll-forward time (a write whose mirror never came).
-- KEYS: ready, avail, expiry. ARGV: prefix, batch size, tombstone ms, roll-forward ms.
-- Returns {'OK', expired hold ids, SKUs whose availability changed, hold ids to roll forward}.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NOT_READY'}
end
local now = now_ms()
local due = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local expired, changed, rollforward, seen = {}, {}, {}, {}
for _, id in ipairs(due) do
  local hold = hold_key(id)
  local state = redis.call('HGET', hold, 'state')
  if state == 'held' then
    for _, sku in ipairs(return_parts(KEYS[2], cjson.decode(redis.call('HGET', hold, 'parts')))) do
      if not seen[sku] then
        seen[sku] = true
        changed[#changed + 1] = sku
      end
    end
    redis.call('HSET', hold, 'state', 'expired')
    redis.call('PEXPIRE', hold, ARGV[3])
    redis.call('ZREM', KEYS[3], id)
    expired[#expired + 1] = id
  elseif state == 'committing' then
    redis.call('ZADD', KEYS[3], now + tonumber(ARGV[4]), id)
    rollforward[#rollforward + 1] = id
  else
    redis.call('ZREM', KEYS[3], id)
  end
end
local stale = redis.call('ZRANGEBYSCORE', GAPS, '-inf', now - tonumber(ARGV[4]), 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(stale) do
  local sku, bucket = string.match(member, '^(.*)\n(.*)$')
  if skip_gap(sku, bucket, now - tonumber(ARGV[4])) and refresh_avail(KEYS[2], sku) and not seen[sku] then
    seen[sku] = true
    changed[#changed + 1] = sku
  end
end
return {'OK', expired, changed, rollforward}
