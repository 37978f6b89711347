-- Starts committing a live hold: from here on neither the sweeper nor a release returns its units.
-- KEYS: ready, avail, expiry, hold. ARGV: prefix, hold id, roll-forward ms, tombstone ms.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NOT_READY'}
end
local hold = KEYS[4]
local state = redis.call('HGET', hold, 'state')
if not state then
  return {'MISSING'}
end
if state == 'committed' then
  return {'COMMITTED'}
end
if state == 'released' or state == 'expired' then
  return {'GONE', state}
end
local now = now_ms()
if state == 'held' and tonumber(redis.call('HGET', hold, 'exp')) <= now then
  local changed = return_parts(KEYS[2], cjson.decode(redis.call('HGET', hold, 'parts')))
  redis.call('HSET', hold, 'state', 'expired')
  redis.call('ZREM', KEYS[3], ARGV[2])
  redis.call('PEXPIRE', hold, ARGV[4])
  return {'EXPIRED', unpack(changed)}
end
redis.call('HSET', hold, 'state', 'committing')
-- past this deadline the sweeper re-drives the commit (its caller may have crashed)
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), ARGV[2])
return {'COMMITTING', redis.call('HGET', hold, 'parts'), redis.call('HGET', hold, 'exp'), redis.call('HGET', hold, 'lines')}
