-- First step of a rebuild, under its lock: drops what is left of the ledger (a partial earlier rebuild).
-- Refuses when the lock was lost (a flush) or when the ledger is ready (another instance finished a rebuild).
-- KEYS: lock, ready. ARGV: prefix, token, then the keys to drop.
if redis.call('GET', KEYS[1]) ~= ARGV[2] then
  return {'LOST'}
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return {'READY'}
end
for i = 3, #ARGV do
  if ARGV[i] ~= KEYS[1] then
    redis.call('UNLINK', ARGV[i])
  end
end
return {'OK'}
