-- Ends a rebuild: marks the ledger ready (mode 'ready') or just lets go of the lock (mode 'abort'), only when this
-- rebuilder still holds the lock; a flush during the rebuild drops the lock and so refuses the marker.
-- KEYS: lock, ready. ARGV: prefix, token, mode, marker value.
if redis.call('GET', KEYS[1]) ~= ARGV[2] then
  return {'LOST'}
end
if ARGV[3] == 'ready' then
  redis.call('SET', KEYS[2], ARGV[4])
end
redis.call('DEL', KEYS[1])
return {'OK'}
