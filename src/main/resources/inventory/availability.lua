-- Units available to hold per SKU (unknown SKUs and oversubscribed ones answer 0).
-- KEYS: ready, avail. ARGV: prefix, skus.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NOT_READY'}
end
local out = {'OK'}
local values = redis.call('HMGET', KEYS[2], unpack(ARGV, 2))
for i = 1, #values do
  local n = tonumber(values[i] or '0')
  if n < 0 then
    n = 0
  end
  out[#out + 1] = n
end
return out
