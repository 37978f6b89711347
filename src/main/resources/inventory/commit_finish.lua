-- Ends a commit whose units DynamoDB has taken. Each part's bucket value is mirrored in version order
-- (mirror_finish): the hold's units leave held when on hand stops counting them, at once or when the versions
-- before arrive. A hold still held or committing becomes committed and its units are dropped that way once; a retried
-- finish drops nothing again, and the value of a hold the ledger does not know is mirrored all the same.
-- KEYS: ready, avail, expiry, hold. ARGV: prefix, hold id, tombstone ms, then sku, bucket, on hand, version per part
-- (DynamoDB's value of the part's bucket at a version that covers the hold's take there).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NOT_READY'}
end
local hold = KEYS[4]
local state = redis.call('HGET', hold, 'state')
local live = state == 'held' or state == 'committing'
local units, parts = {}, {}
if live then
  parts = cjson.decode(redis.call('HGET', hold, 'parts'))
  for _, p in ipairs(parts) do
    units[p[1] .. '\n' .. p[2]] = p[3]
  end
end
local now = now_ms()
local touched = {}
for i = 4, #ARGV, 4 do
  local id = ARGV[i] .. '\n' .. ARGV[i + 1]
  mirror_finish(ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3]), units[id] or 0, now)
  units[id] = nil
  touched[#touched + 1] = ARGV[i]
end
-- a part given no value (its caller had none): its units leave now
for _, p in ipairs(parts) do
  local left = units[p[1] .. '\n' .. p[2]]
  if left then
    redis.call('HINCRBY', sku_key(p[1]), 'h|' .. p[2], -left)
    touched[#touched + 1] = p[1]
  end
end
if live then
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
