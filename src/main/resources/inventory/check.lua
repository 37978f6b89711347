-- Whether a hold is known to a ready ledger (after its durable record was written).
-- KEYS: ready, hold. ARGV: prefix.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NOT_READY'}
end
local state = redis.call('HGET', KEYS[2], 'state')
if not state then
  return {'MISSING'}
end
return {'OK', state}
