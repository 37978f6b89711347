-- Returns a live hold's units. A hold that is committing, committed, already released or expired is left alone, except
-- that ARGV[5] = '1' also returns a committing hold's units (its commit was abandoned: stock fell below it).
-- KEYS: ready, avail, expiry, hold. ARGV: prefix, hold id, tombstone ms, final state ('' forgets the hold entirely),
-- and optionally '1' to abandon a commit.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NOT_READY'}
end
local hold = KEYS[4]
local state = redis.call('HGET', hold, 'state')
if not state then
  return {'NOOP', 'unknown'}
end
if state ~= 'held' and not (state == 'committing' and ARGV[5] == '1') then
  return {'NOOP', state}
end
local changed = return_parts(KEYS[2], cjson.decode(redis.call('HGET', hold, 'parts')))
redis.call('ZREM', KEYS[3], ARGV[2])
if ARGV[4] == '' then
  redis.call('DEL', hold)
else
  redis.call('HSET', hold, 'state', ARGV[4])
  redis.call('PEXPIRE', hold, ARGV[3])
end
return {'RELEASED', unpack(changed)}
